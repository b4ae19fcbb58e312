namespace Sched.Runtime.Targets.Library;

/// <summary>UPMEM PIM-DIMMs: thousands of small DPUs, each beside 64 MB of MRAM.</summary>
public static class Upmem
{
    private const int Dpus = 2560;                            // up to 2,560 DPUs per server, UPMEM, Hot Chips 31
    private const double MramPerDpu = 64e6;                   // 64 MB per DPU, same
    private const double BandwidthPerDpu = 1e9;               // ≈ 1 GB/s per DPU, same

    public static Preset Server { get; } = new(
        "pim.upmem",
        "UPMEM PIM server: 2,560 DPUs, each with 64 MB of MRAM at ≈1 GB/s",
        [new Tier("mram", "pnm", Dpus * MramPerDpu, Dpus * BandwidthPerDpu, 0)],
        0,
        [new("UPMEM PIM-DIMM", "64 MB MRAM per DPU, ≈1 GB/s per DPU, 350–450 MHz, up to 2,560 DPUs per server", "UPMEM, Hot Chips 31")],
        ["capacity and bandwidth are per-DPU figures times 2,560", "DPU compute peak is not published as FLOP/s: none is listed"],
        null, 0, "declare a 'pnm' component with these figures in your own target (see examples/pnm.sched); no per-DPU FLOP/s figure is published");
}
