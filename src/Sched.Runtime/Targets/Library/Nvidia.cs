namespace Sched.Runtime.Targets.Library;

/// <summary>NVIDIA H100 SXM and H200: HBM feeding 132 SMs.</summary>
public static class Nvidia
{
    private const double BoostClock = 1.98e9;                 // 132 SMs at 1.98 GHz boost, NVIDIA
    private const double DenseBf16 = 989e12;                  // dense BF16, NVIDIA
    private const double DenseFp8 = 1979e12;                  // dense FP8, NVIDIA
    private const long SharedMemory = 132L * 228 * 1024;      // 228 KiB of shared memory a SM (NVIDIA Hopper tuning guide)
    private const long L2 = 50_000_000;                       // 50 MB, chipsandcheese, "H100: Funny L2"
    // What the SMs reuse data from without going back to HBM: their shared memory, and the L2 every HBM read passes through.
    private const long OnChip = SharedMemory + L2;

    public static Preset H100 { get; } = Gpu("nvidia.h100", "NVIDIA H100 SXM: 80 GB HBM3 (5 stacks) at 3.35 TB/s, 989 TFLOP/s dense bf16",
        80e9, 3.35e12, "80 GB HBM3, 5 stacks", "3.35 TB/s");

    // gpt-fast measured Llama-2-7B bf16 decode at batch 1 on an A100-80GB at 1,397 GB/s of its 2,039 GB/s (HARDWARE.md).
    private const double AchievedFraction = 1397.0 / 2039.0;
    // A kernel launch takes about 4–6 µs from the CPU to the GPU (pegainfer, "From Launch Overhead to CUDA Graph", measured on
    // an RTX 5070 Ti with CUDA 13 ⚠): the middle, 5 µs, is the gap between one unfused kernel and the next.
    private const double LaunchSeconds = 5e-6;

    /// <summary>
    /// The H100 as decode measures it, not its floor: HBM streams at the fraction of peak that gpt-fast measured at batch 1 (an A100's,
    /// the nearest published measurement; assumed to carry over). Everything else is nvidia.h100's.
    /// </summary>
    public static Preset H100Measured { get; } = Gpu("nvidia.h100.measured",
        "NVIDIA H100 SXM as measured in decode: HBM at 68.5% of 3.35 TB/s (gpt-fast's batch-1 fraction), a 5 µs launch gap between "
        + "kernels, 989 TFLOP/s dense bf16",
        80e9, 3.35e12, "80 GB HBM3, 5 stacks", "3.35 TB/s", achieved: AchievedFraction, launchSeconds: LaunchSeconds) with
    {
        Assumptions = [.. H100.Assumptions, "each operation is one kernel: the SMs run one at a time, in program order, 5 µs apart (no "
            + "fusion, no CUDA graphs, as an eager framework runs a step)"],
        Overheads =
        [
            new Overhead("achievable HBM bandwidth", "68.5% of 3.35 TB/s = 2.295 TB/s", "gpt-fast README: Llama-2-7B bf16 batch 1 on "
                + "an A100-80GB reads 1,397 of 2,039 GB/s; ⚠ assumed to carry to the H100 (no batch-1 H100 figure published)"),
            new Overhead("kernel launch gap", "5 µs between one operation's end and the next's start (the sm unit's launch)",
                "pegainfer, \"From Launch Overhead to CUDA Graph\": about 4–6 µs a launch, measured on an RTX 5070 Ti ⚠"),
        ],
    };

    public static Preset H200 { get; } = Gpu("nvidia.h200", "NVIDIA H200: 141 GB HBM3e (6 stacks) at 4.8 TB/s, 989 TFLOP/s dense bf16",
        141e9, 4.8e12, "141 GB HBM3e, 6 stacks", "4.8 TB/s");

    private static Preset Gpu(string name, string summary, double hbm, double bandwidth, string hbmText, string bandwidthText,
        double achieved = 1, double launchSeconds = 0) => new(
        name, summary,
        [new Tier("hbm", "hbm", hbm, bandwidth, 0), new Tier("l2", "sram", 50e6, 0, 0)],
        DenseBf16,
        [
            new("HBM", hbmText, "NVIDIA datasheets; MLCommons inference v4.1 system files"),
            new("HBM bandwidth", bandwidthText, "NVIDIA datasheets; MLCommons inference v4.1 system files"),
            new("L2", "50 MB", "chipsandcheese, \"H100: Funny L2\""),
            new("SMs, boost clock", "132, 1.98 GHz", "NVIDIA"),
            new("dense BF16 / FP8", "989 / 1,979 TFLOP/s", "NVIDIA"),
            new("NVLink 4", "900 GB/s bidirectional", "NVIDIA"),
            new("shared memory", "228 KiB a SM, 30.8 MB over 132 SMs", "NVIDIA Hopper tuning guide"),
        ],
        ["the 132 SMs are one compute pool with the dense bf16 peak; HBM is one memory read at its full bandwidth",
         "the L2 is not a tier of its own: it is part of the SMs' buffer (below), so a tile read again while it is still there costs "
         + "no HBM traffic, as an L2 hit does not",
         "HBM latency is not modelled (no sourced figure): it adds a constant, not bandwidth",
         "the pool's buffer is what the SMs reuse data from: 132 × 228 KiB of shared memory (30.8 MB) and the 50 MB L2, 80.8 MB as one "
         + "buffer; a block too tall for it is made rows apart, and attention streams its KV cache through it in windows (flash "
         + "attention); registers are not counted"],
        Launched(Catalogue.Simple(name, BoostClock, "hbm", "hbm", hbm, bandwidth * achieved, 0, "sm", DenseBf16, 0,
            (DataType.Fp8, DenseFp8), (DataType.Bf16, DenseBf16), (DataType.Fp16, DenseBf16)), launchSeconds),
        1024, null);

    // The SMs with their shared memory as the buffer and a launch gap between kernels, in cycles of the boost clock.
    private static Machine Launched(Machine m, double launchSeconds) => new(m.Name, m.ClockHz, m.Memories,
        m.Units.Select(u => u with { Buffer = OnChip, Launch = (int)Math.Round(launchSeconds * m.ClockHz) }).ToList(), m.Links);
}
