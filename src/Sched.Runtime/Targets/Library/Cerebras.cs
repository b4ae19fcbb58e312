namespace Sched.Runtime.Targets.Library;

/// <summary>Cerebras WSE-3 (CS-3): a wafer of SRAM next to 900,000 cores.</summary>
public static class Cerebras
{
    private const double Clock = 1e9;                         // not published ⚠: assumed 1 GHz
    private const double Sram = 44e9;                         // 44 GB, Cerebras; Argonne SC24 tutorial
    private const double SramBandwidth = 21e15;               // 21 PB/s, same
    private const double Peak = 125e15;                       // 125 PFLOP/s (AI, sparse), same

    public static Preset Wse3 { get; } = new(
        "cerebras.wse3",
        "Cerebras WSE-3: 44 GB of on-wafer SRAM at 21 PB/s, 900,000 cores",
        [new Tier("sram", "sram", Sram, SramBandwidth, 0)],
        Peak,
        [
            new("on-wafer SRAM", "44 GB", "Cerebras; Argonne SC24 tutorial"),
            new("memory bandwidth", "21 PB/s", "Cerebras; Argonne SC24 tutorial"),
            new("peak", "125 PFLOP/s (AI, sparse)", "Cerebras; Argonne SC24 tutorial"),
            new("off-wafer I/O", "1.2 Tb/s", "Argonne SC24 tutorial"),
        ],
        ["the clock is not published: 1 GHz is assumed, so cycle counts scale with it (times in seconds do not depend on it)",
         "the 125 PFLOP/s peak is the sparse figure; dense work will not reach it",
         "the wafer is one memory and one compute pool (the 2-D mesh is not modelled)",
         "the cores' buffer is left unbounded: a core computes on its own SRAM (44 GB ÷ 900,000 cores ≈ 48 KB each, derived), the "
         + "same SRAM the wafer's memory is, so a loaded tile takes no second space; the 44 GB capacity bounds everything"],
        Catalogue.Simple("cerebras.wse3", Clock, "sram", "sram", Sram, SramBandwidth, 1, "cores", Peak, 1),
        1024, null);

    // What an operation's result crosses to reach the cores of the next: the fabric, not the 21 PB/s of local SRAM (calibrated ⚠).
    private const double ResultBandwidthGBps = 11.5;

    /// <summary>
    /// The WSE-3 as decode measures it: weights stream from each core's SRAM at 21 PB/s, but an operation ends only when its result
    /// (an activation) has been spread over the cores of the next through the 2-D fabric, at one effective bandwidth (the cores'
    /// result_bandwidth). It is the preset's one calibrated figure: set so Llama-3.1-8B decodes near the published 1,800 tokens/s.
    /// </summary>
    public static Preset Wse3Measured { get; } = Wse3 with
    {
        Name = "cerebras.wse3.measured",
        Summary = $"Cerebras WSE-3 as measured in decode: weights at 21 PB/s, each result over the fabric at {ResultBandwidthGBps} GB/s",
        Assumptions = [.. Wse3.Assumptions, "an operation's result crosses the fabric at one effective bandwidth, whatever its size and "
            + "the region the next operation spans: the calibrated figure stands for the broadcasts and reductions of a wafer-wide "
            + "matrix-vector product"],
        Machine = Measured(),
        Overheads = [new Overhead("result distribution over the fabric", $"{ResultBandwidthGBps} GB/s (the cores' result_bandwidth)",
            "⚠ assumption, calibrated so that Llama-3.1-8B decodes at Cerebras' published 1,800 tokens/s "
            + "(examples/cerebras-llama3-8b.sched); Cerebras publishes no per-operation fabric figure")],
    };

    private static Machine Measured()
    {
        var floor = Wse3.Machine!;
        var units = floor.Units.Select(u => u with { ResultBytesPerCycle = ResultBandwidthGBps * 1e9 / Clock }).ToList();
        return new Machine("cerebras.wse3.measured", Clock, floor.Memories, units, floor.Links);
    }
}
