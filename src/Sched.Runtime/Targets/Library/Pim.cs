using Sched.Runtime.Targets.Kinds;

namespace Sched.Runtime.Targets.Library;

/// <summary>Processing in/near memory from the memory makers: Samsung HBM-PIM and SK hynix GDDR6-AiM.</summary>
public static class Pim
{
    // SK hynix GDDR6-AiM: JSSC 2023; Hot Chips 35.
    private const double AimClock = 1e9;                      // 1 GHz processing units
    private const double AimPeak = 1e12;                      // 1 TFLOP/s of MAC per chip
    private const double AimInternal = 512e9;                 // 512 GB/s internal
    private const double AimExternal = 16e9 / 8 * 16;         // 16 Gb/s a pin × 16 pins (the ×16 width is assumed) = 32 GB/s
    private const double AimCapacity = 1e9;                   // not in HARDWARE.md: an 8 Gb device assumed

    // Samsung HBM-PIM (Aquabolt-XL): ISSCC 2021 coverage.
    private const double PimClock = 300e6;                    // a 300 MHz FP16 unit per bank pair
    private const double PimPeak = 1.2e12;                    // 1.2 TFLOP/s per stack
    private const double PimExternal = 307.2e9;               // not in HARDWARE.md: an HBM2 stack at 2.4 Gb/s × 1024 bits assumed
    private const double PimInternal = 4 * PimExternal;       // "4× processing bandwidth vs off-chip"
    private const double PimCapacity = 6e9;                   // not in HARDWARE.md: a 6 GB stack assumed

    public static Preset Aim { get; } = new(
        "pim.aim",
        "SK hynix GDDR6-AiM: 1 TFLOP/s of MAC units beside the DRAM, 512 GB/s inside, 32 GB/s outside",
        [new Tier("dram", "pnm", AimCapacity, AimInternal, 0)],
        AimPeak,
        [new("SK hynix GDDR6-AiM", "16 Gb/s/pin, 1 TFLOP/s MAC per chip, 1 GHz PUs, 512 GB/s internal", "JSSC 2023; Hot Chips 35")],
        ["capacity 1 GB (an 8 Gb device): HARDWARE.md gives none ⚠",
            "external link ×16 pins at 16 Gb/s = 32 GB/s: the pin count is assumed ⚠"],
        Device("pim.aim", AimClock, AimCapacity, AimInternal, AimPeak), 512, null,
        [("external bandwidth", "32 GB/s"), ("internal ÷ external", $"{AimInternal / AimExternal:F0}×")]);

    public static Preset HbmPim { get; } = new(
        "pim.hbm-pim",
        "Samsung HBM-PIM (Aquabolt-XL): a 300 MHz FP16 unit per bank pair, 1.2 TFLOP/s a stack, 4× the off-chip bandwidth inside",
        [new Tier("hbm", "pnm", PimCapacity, PimInternal, 0)],
        PimPeak,
        [new("Samsung HBM-PIM (Aquabolt-XL)",
            "a 300 MHz FP16 unit per bank pair; 1.2 TFLOP/s per stack; 4× processing bandwidth vs off-chip; −70% energy",
                "Samsung, ISSCC 2021 coverage")],
        ["off-chip bandwidth 307.2 GB/s (an HBM2 stack at 2.4 Gb/s × 1024 bits): HARDWARE.md gives only the 4× ratio ⚠",
         "capacity 6 GB a stack: HARDWARE.md gives none ⚠"],
        Device("pim.hbm-pim", PimClock, PimCapacity, PimInternal, PimPeak), 256, null,
        [("internal bandwidth", $"{PimInternal / 1e12:F2} TB/s"), ("external bandwidth", $"{PimExternal / 1e9:F1} GB/s")]);

    /// <summary>The device as a pnm component: its memory, its processing units, the internal links (built by the pnm kind).</summary>
    private static Machine Device(string name, double clock, double capacity, double internalBandwidth, double peak)
    {
        var parts = MemoryKinds.Declare("pnm", "mem", clock, [("capacity", capacity), ("internal", internalBandwidth), ("peak", peak)]);
        return new Machine(name, clock, parts.Memories, parts.Units, parts.Links);
    }
}
