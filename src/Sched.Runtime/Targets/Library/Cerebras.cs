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
         "the wafer is one memory and one compute pool (the 2-D mesh is not modelled)"],
        Catalogue.Simple("cerebras.wse3", Clock, "sram", "sram", Sram, SramBandwidth, 1, "cores", Peak, 1),
        1024, null);
}
