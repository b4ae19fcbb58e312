namespace Sched.Runtime.Targets.Library;

/// <summary>A Hybrid Memory Cube: DRAM dies stacked on a logic die, cut into vaults that each have their own controller.</summary>
public static class Hmc
{
    private const int Vaults = 16;                            // 16 vaults, Micron via PC Perspective (2013)
    private const double VaultBandwidth = 10e9;               // up to 10 GB/s a vault, same
    private const double Capacity = 4e9;                      // 2, 4 or 8 GB cubes, HMC Specification 1.0 (2013)
    private const double LinkBandwidth = 320e9;               // 8 links: 320 GB/s peak aggregate, HMC Specification 1.0
    private const double Latency = 50e-9;                     // not published in these sources: a DRAM row cycle assumed ⚠

    public static Preset Cube { get; } = new(
        "stacked.hmc",
        "Hybrid Memory Cube (HMC 1.0, Micron): 4 GB of DRAM on a logic die in 16 vaults of 10 GB/s",
        [new Tier("vaults", "stacked", Capacity, Vaults * VaultBandwidth, Latency)],
        0,
        [
            new("vaults", "up to 10 GB/s (80 Gb/s) from each of the 16 vaults",
                "Micron, via PC Perspective, \"That RAM is stacked\" (Nov 2013)"),
            new("capacity", "2 GB, 4 GB and 8 GB cubes", "HMC Consortium, HMC Specification 1.0 (Apr 2013), via techweez"),
            new("links", "8 links: 320 GB/s peak aggregate; 10, 12.5 or 15 Gb/s SerDes lanes", "HMC Specification 1.0"),
        ],
        ["the 4 GB cube of the three sizes", "vault latency 50 ns: no sourced figure, a DRAM row cycle is assumed ⚠",
         "the serial links (320 GB/s) are faster than the vaults together (160 GB/s): declare them as the link to your units"],
        null, 0, "a memory tier without compute; declare 'stacked NAME { capacity = 4 GB; vaults = 16; bandwidth = 10 GB/s; latency = 50 ns; }' " +
            "(see examples/stacked.sched)",
        [("vaults together", $"{Vaults * VaultBandwidth / 1e9:F0} GB/s"), ("links together", $"{LinkBandwidth / 1e9:F0} GB/s")]);
}
