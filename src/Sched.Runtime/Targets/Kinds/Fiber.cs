using Sched.Runtime.Schedules;

namespace Sched.Runtime.Targets.Kinds;

/// <summary>
/// A fibre-optic delay loop used as memory: <see cref="Period"/> slots of <see cref="SlotBytes"/> circulate; the slot
/// at byte address a is slot a ÷ SlotBytes and passes the tap at cycles t ≡ slot (mod Period), the only cycles it can
/// be read. Tiles are laid out in the order they are read, and a read weight has nowhere to wait.
/// </summary>
public sealed record Fiber(string Name, int Latency, long Period, long SlotBytes, double ClockHz)
    : Memory(Name, Period * SlotBytes, Latency)
{
    /// <summary>Light's speed in vacuum, m/s: exact by the definition of the metre.</summary>
    public const double SpeedOfLight = 299_792_458.0;

    /// <summary>Revolution time of a loop: length × group index ÷ c.</summary>
    public static double PeriodSeconds(double lengthMetres, double groupIndex) => lengthMetres * groupIndex / SpeedOfLight;

    public override double BytesPerSecond => SlotBytes * ClockHz;
    public override bool InReadingOrder => true;
    public override long Alignment => SlotBytes;
    public override bool Streams => true;
    public override string? NotWritable => "a fibre loop here holds weights that are only read";

    /// <summary>The phase (mod <see cref="Period"/>) at which the data at <paramref name="address"/> passes the tap.</summary>
    public long Phase(long address) => address / SlotBytes % Period;

    protected override Step Load(Tile tile, Link link) => base.Load(tile, link) with { Period = Period, Phase = Phase(tile.Address) };

    public override IEnumerable<(string Figure, string Value)> Figures =>
        [("period", $"{Period} cycles ({Period / ClockHz * 1e6:0.###} µs)"), ("slot", $"{SlotBytes} B a cycle")];
}

public sealed class FiberKind : MemoryKind
{
    public override IReadOnlyList<string> Keywords => ["fiber"];

    public override IReadOnlyList<Property> Properties { get; } =
    [
        new("length", PropertyUnit.Metres, "the loop's length") { Required = true, AboveZero = true },
        new("rate", PropertyUnit.BytesPerSecond, "the bits a second the loop carries") { Required = true, AboveZero = true },
        new("index", PropertyUnit.Number, "the fibre's group index") { Default = 1.468, AboveZero = true },
        Property.Latency(0),
    ];

    /// <summary>P = ceil(length · index / c · clock) cycles, b = rate ÷ clock bytes a cycle, capacity P · b.</summary>
    public override Memory Create(string name, Values v, double clockHz, Declaration declared)
    {
        var period = (double)Cycle.Ceiling(Fiber.PeriodSeconds(v["length"], v["index"]) * clockHz);
        var slot = Math.Floor(v["rate"] / clockHz);   // rate is in bytes a second (b/s parse as eighths of B/s)
        if (slot < 1 || period < 1 || period * slot > long.MaxValue / 4)
            throw new InvalidComponentException(
                $"fiber {name} needs at least one byte a cycle and one cycle a revolution, and a capacity that can be addressed");
        return new Fiber(name, v.Count("latency"), (long)period, (long)slot, clockHz) { Declared = declared };
    }
}
