using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Runtime.Targets.Kinds;

/// <summary>
/// HBM or DRAM: <c>channels = N</c> split it into N channels that each serve one transfer at a time (a tile stays
/// inside one), and links to and from it move whole bursts of <c>burst</c> bytes.
/// </summary>
public sealed record Dram(string Name, long Capacity, int Latency, double Bandwidth, int Channels, long Burst)
    : Memory(Name, Capacity, Latency)
{
    public override double BytesPerSecond => Bandwidth;
    public override int Regions => Math.Max(1, Channels);
    public override IReadOnlyList<Resource> Resources =>
        _channels ??= Channels > 1 ? Numbered("channel", Channels, ViolationKind.ChannelConflict) : [];
    private IReadOnlyList<Resource>? _channels;

    /// <summary>The bytes a transfer really moves: whole bursts.</summary>
    public long Moved(long bytes) => Burst > 0 ? (bytes + Burst - 1) / Burst * Burst : bytes;

    protected override Step Load(Tile tile, Link link) => base.Load(tile, link) with { Duration = InBursts(tile, link) };
    protected override Step Store(Tile tile, Link link) => base.Store(tile, link) with { Duration = InBursts(tile, link) };

    private long InBursts(Tile tile, Link link) => Cycles(Moved(tile.Bytes), link.BytesPerCycle);

    public override IEnumerable<(string Figure, string Value)> Figures =>
        Burst > 0 ? [("burst", $"{Burst} B: a transfer of n bytes moves ceil(n / {Burst}) bursts")] : [];
}

public sealed class DramKind : MemoryKind
{
    public override IReadOnlyList<string> Keywords => ["dram", "hbm"];

    public override IReadOnlyList<Property> Properties { get; } =
    [
        Property.Capacity, Property.Bandwidth, Property.Latency(0),
        new("channels", PropertyUnit.Count, "channels, each serving one transfer at a time") { Default = 0 },
        new("burst", PropertyUnit.Bytes, "the bytes a transfer moves at least (transfers round up to whole bursts)") { Default = 0 },
    ];

    public override Memory Create(string name, Values v, double clockHz, Declaration declared) =>
        new Dram(name, (long)v["capacity"], v.Count("latency"), v["bandwidth"], v.Count("channels"),
            (long)v["burst"]) { Declared = declared };
}
