namespace Sched.Runtime.Targets.Kinds;

/// <summary>
/// Processing near memory: a memory and its own compute pool (named like the memory, its unit NAME.pu) joined by
/// internal links at the internal bandwidth. The host reaches it only over links the target declares.
/// </summary>
public sealed record Pnm(string Name, long Capacity, int Latency, double Internal) : Memory(Name, Capacity, Latency)
{
    public override double BytesPerSecond => Internal;
}

public sealed class PnmKind : MemoryKind
{
    public override IReadOnlyList<string> Keywords => ["pnm"];

    public override IReadOnlyList<Property> Properties { get; } =
    [
        Property.Capacity,
        new("internal", PropertyUnit.BytesPerSecond, "bytes a second between the memory and its own units") { Required = true,
            AboveZero = true },
        new("peak", PropertyUnit.FlopsPerSecond, "its units' peak") { Required = true, AboveZero = true },
        Property.Latency(0),
    ];

    public override Memory Create(string name, Values v, double clockHz, Declaration declared) =>
        new Pnm(name, (long)v["capacity"], v.Count("latency"), v["internal"]) { Declared = declared };

    public override Parts Declare(string name, Values v, double clockHz, Declaration declared)
    {
        var pu = name + ".pu";
        var inside = v["internal"] / clockHz;
        return new Parts(
            [Create(name, v, clockHz, declared)],
            [new ComputeUnit(pu, name, UnitKind.Vector, v["peak"] / clockHz, v.Count("latency"))],
            [new Link($"{name}->{pu}", name, pu, inside, 0, 1), new Link($"{pu}->{name}", pu, name, inside, 0, 1)]);
    }
}
