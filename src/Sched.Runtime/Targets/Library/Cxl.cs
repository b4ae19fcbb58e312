namespace Sched.Runtime.Targets.Library;

/// <summary>A CXL memory expander: DDR5 on a PCIe Gen5 ×8 card, reached by loads and stores a NUMA hop away.</summary>
public static class Cxl
{
    private const double Capacity = 256e9;                    // Samsung CMM-D: 128, 256 or 512 GB, via memoryxref ⚠
    private const double Bandwidth = 36e9;                    // 36 GB/s over PCIe Gen5 ×8, same ⚠
    private const double Latency = 250e-9;                    // ≈ 170–250 ns over the port, Tom's Hardware ⚠ (upper end)

    public static Preset CmmD { get; } = new(
        "cxl.cmm-d",
        "CXL memory expander (Samsung CMM-D class): 256 GB of DDR5 at 36 GB/s, ≈250 ns load-to-use",
        [new Tier("dram", "cxl", Capacity, Bandwidth, Latency)],
        0,
        [
            new("Samsung CMM-D", "128 GB, 256 GB, 512 GB; 36 GB/s; PCIe Gen5 ×8; E3.S",
                "memoryxref.com CXL cross-reference (2026) ⚠ secondary"),
            new("CXL latency", "≈ 170–250 ns, roughly a NUMA hop", "Tom's Hardware on Samsung CMM-H (2024) ⚠ secondary"),
            new("CXL vs local DRAM", "2–5× the latency of local DRAM on three real expanders",
                "Liu et al., \"Exploring and Evaluating Real-world CXL\", arXiv 2405.14209"),
            new("genuine CXL devices", "measured latency and bandwidth of three devices",
                "Sun et al., \"Demystifying CXL Memory\", MICRO 2023"),
        ],
        ["256 GB of the three capacities", "load-to-use latency at the upper end of the 170–250 ns range ⚠",
         "one port: transfers to and from the device take turns"],
        null, 0, "a host memory tier without compute; declare 'cxl NAME { capacity = 256 GB; bandwidth = 36 GB/s; latency = 250 ns; }' " +
            "(see examples/cxl.sched)",
        [("drain", $"{Capacity / Bandwidth:F1} s"), ("load-to-use at 2 GHz", $"{Latency * 2e9:F0} cycles")]);
}
