using Sched.Runtime.Verification;

namespace Sched.Runtime.Targets.Kinds;

/// <summary>
/// On-chip SRAM. With <c>banks = N</c> its addresses split into N equal banks: a tile stays inside one bank and each
/// bank serves one transfer at a time.
/// </summary>
public sealed record Sram(string Name, long Capacity, int Latency, double Bandwidth, int Banks) : Memory(Name, Capacity, Latency)
{
    public override double BytesPerSecond => Bandwidth;
    public override int Regions => Math.Max(1, Banks);
    public override IReadOnlyList<Resource> Resources => _banks ??= Banks > 1 ? Numbered("bank", Banks, ViolationKind.BankConflict) : [];
    private IReadOnlyList<Resource>? _banks;

    public override IEnumerable<(string Figure, string Value)> Figures =>
        Banks > 1 ? [("bank", $"{RegionBytes} B, one transfer at a time")] : [];
}

public sealed class SramKind : MemoryKind
{
    public override IReadOnlyList<string> Keywords => ["sram"];

    public override IReadOnlyList<Property> Properties { get; } =
    [
        Property.Capacity, Property.Bandwidth, Property.Latency(1),
        new("banks", PropertyUnit.Count, "equal banks, each serving one transfer at a time") { Default = 0 },
    ];

    public override Memory Create(string name, Values v, double clockHz, Declaration declared) =>
        new Sram(name, (long)v["capacity"], v.Count("latency"), v["bandwidth"], v.Count("banks")) { Declared = declared };
}
