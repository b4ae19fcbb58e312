using Sched.Runtime.Targets;

namespace Sched.Runtime.Targets.Library;

/// <summary>A fibre-optic delay loop used as memory: data circulates and passes a tap once per revolution.</summary>
public static class Fiber
{
    private const double Length = 200e3;                      // Carmack's loop, 200 km
    private const double Rate = 256e12;                       // 256 Tb/s
    private const double GroupIndex = 1.468;                  // G.652 single-mode fibre at 1310 nm

    public static Preset Carmack { get; } = Loop();

    private static Preset Loop()
    {
        var period = Kinds.Fiber.PeriodSeconds(Length, GroupIndex);
        var bytesPerSecond = Rate / 8;
        var inFlight = bytesPerSecond * period;
        return new Preset(
            "fiber.carmack",
            "Carmack's fibre loop: 200 km of single-mode fibre at 256 Tb/s as a delay-line memory",
            [new Tier("loop", "fiber", inFlight, bytesPerSecond, period)],
            0,
            [
                new("Carmack's loop", "200 km, 256 Tb/s → 32 GB in flight, 32 TB/s", "John Carmack, Feb 2026, via Tom's Hardware"),
                new("group index, single-mode fibre", "1.468 (1310 nm), 1.469 (1550 nm)", "G.652/G.657 fibre datasheets"),
                new("attenuation", "≤ 0.20 dB/km (G.652)", "Corning SMF-28 datasheets"),
                new("amplifier span", "≈ 80 km per EDFA span", "optical networking references"),
            ],
            ["group index 1.468 (1310 nm)", "the latency listed is one revolution: the worst wait for a slot to reach the tap"],
            null, 0, "a memory without compute; declare 'fiber loop0 { length = 200 km; rate = 256 Tb/s; }' in your own target (see examples/fiber.sched)",
            [("period", $"{period * 1e3:F3} ms"), ("in flight", $"{inFlight / 1e9:F1} GB"), ("read once per revolution",
                $"{bytesPerSecond / 1e12:F0} TB/s")]);
    }
}
