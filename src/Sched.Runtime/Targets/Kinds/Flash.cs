using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Runtime.Targets.Kinds;

/// <summary>
/// NAND flash read in whole pages. A load is two steps: a die reads the tile's pages (tR each, one tile a die at a
/// time), then the pages cross the die's channel (one transfer a channel at a time) and the link; the slower of the
/// channel and the link sets the pace. Tiles are spread over the channels × dies dies.
/// </summary>
public sealed record Flash(string Name, long Capacity, int Latency, long PageBytes, int ReadCycles, int Channels, int DiesPerChannel,
    double ChannelBytesPerCycle, double ClockHz) : Memory(Name, Capacity, Latency)
{
    public int Dies => Channels * DiesPerChannel;
    public override double BytesPerSecond => ChannelBytesPerCycle * ClockHz * Channels;
    public override int Regions => Dies;

    // Dies first (one read each at a time), then channels (one transfer each at a time).
    public override IReadOnlyList<Resource> Resources => _resources ??=
        [.. Numbered("die", Dies, ViolationKind.BankConflict), .. Numbered("channel", Channels, ViolationKind.ChannelConflict)];
    private IReadOnlyList<Resource>? _resources;

    public override IReadOnlyList<Opcode> LoadSteps { get; } = [Opcode.Read, Opcode.Load];
    public override string? NotWritable => "flash here holds weights that are only read (program time is not modelled)";

    public long PagedBytes(long bytes) => (bytes + PageBytes - 1) / PageBytes * PageBytes;

    protected override Step? Prepare(Opcode op, Tile tile) =>
        new Step(Opcode.Read, Math.Max(1, PagedBytes(tile.Bytes) / PageBytes * ReadCycles), PagedBytes(tile.Bytes), Region(tile.Address),
            0);

    protected override Step Load(Tile tile, Link link)
    {
        var channel = Dies + Region(tile.Address) / DiesPerChannel;
        var crossing = Cycle.Ceiling(PagedBytes(tile.Bytes) / ChannelBytesPerCycle);
        return base.Load(tile, link) with { Duration = Math.Max(link.TransferCycles(tile.Bytes), crossing), Resource = channel };
    }

    public override IEnumerable<(string Figure, string Value)> Figures =>
        [("dies", $"{Channels} channels × {DiesPerChannel} dies = {Dies}"), ("page read", $"{ReadCycles} cycles a page of {PageBytes} B")];
}

public sealed class FlashKind : MemoryKind
{
    public override IReadOnlyList<string> Keywords => ["flash"];

    public override IReadOnlyList<Property> Properties { get; } =
    [
        Property.Capacity,
        new("page", PropertyUnit.Bytes, "the bytes a die reads at once") { Required = true, AboveZero = true },
        new("read", PropertyUnit.Cycles, "tR: the time a die takes to read one page") { Required = true, Max = int.MaxValue },
        new("rate", PropertyUnit.BytesPerSecond, "bytes a second one channel carries") { Required = true, AboveZero = true },
        new("channels", PropertyUnit.Count, "channels, each carrying one transfer at a time") { Default = 1, Min = 1 },
        new("dies", PropertyUnit.Count, "dies on each channel, each reading one tile at a time") { Default = 1, Min = 1 },
        new("write", PropertyUnit.Cycles, "tPROG: the time to program a page")
            { Refused = "results are not stored in flash yet, so its program time would be ignored; remove 'write'" },
        Property.Latency(0),
    ];

    public override Memory Create(string name, Values v, double clockHz, Declaration declared) =>
        new Flash(name, (long)v["capacity"], v.Count("latency"), (long)v["page"], v.Count("read"), v.Count("channels"), v.Count("dies"),
            v["rate"] / clockHz, clockHz) { Declared = declared };
}
