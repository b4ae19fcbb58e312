namespace Sched.Runtime.Targets.Library;

/// <summary>A host's DDR5 as a memory tier: 12 channels of DDR5-4800.</summary>
public static class Host
{
    public static Preset Ddr5 { get; } = new(
        "host.ddr5",
        "Host DRAM: 12 × DDR5-4800, 6 TB at 460.8 GB/s",
        [new Tier("dram", "dram", 6e12, 460.8e9, 0)],
        0,
        [new("DDR5 host, 12 × DDR5-4800", "6 TB / 460.8 GB/s", "HARDWARE.md drain-time table (12 channels × 4800 MT/s × 8 B)")],
        ["a memory tier without compute: in a target beside a compute preset, 'chip host[1] : host.ddr5;' with "
         + "'link host <-> gpu { bandwidth = …; }' for the path to the GPUs (PCIe is not part of the preset)"],
        null, 0, "a memory tier without compute units: place it in a target as 'chip host[1] : host.ddr5;' beside a compute preset");
}
