using Sched.Runtime.Schedules;

namespace Sched.Runtime.Targets.Kinds;

/// <summary>
/// A memory technology. Each kind is one subclass in this folder that holds everything about it: its properties
/// (<see cref="MemoryKind"/>), its derived figures, the resources it adds and the steps of an access. Nothing outside
/// the kinds asks which kind a memory is; it asks the memory. The defaults here are a plain memory: a load holds a
/// lane of its link for ceil(bytes ÷ bytes-per-cycle) cycles and arrives the link's latency later; a store is
/// readable the link's latency plus the memory's latency after it ends.
/// </summary>
public abstract record Memory(string Name, long Capacity, int Latency)
{
    /// <summary>The keyword and values it was declared with, so generated code can rebuild it (<see cref="MemoryKinds.Create"/>).</summary>
    public required Declaration Declared { get; init; }

    public string Kind => Declared.Kind;

    /// <summary>Bytes a second the memory serves (0 when it has no such figure).</summary>
    public abstract double BytesPerSecond { get; }

    /// <summary>Seconds to read the whole memory once at its bandwidth (0 when no bandwidth is given).</summary>
    public double DrainSeconds => BytesPerSecond > 0 ? Capacity / BytesPerSecond : 0;

    /// <summary>Figures derived from the declaration, for `sched targets` and the report.</summary>
    public virtual IEnumerable<(string Figure, string Value)> Figures => [];

    /// <summary>Banks, dies, channels or vaults: each serves a fixed number of steps at a time.</summary>
    public virtual IReadOnlyList<Resource> Resources => [];

    /// <summary>Equal address ranges a tile must stay inside (banks, dies, vaults); tiles are spread over them.</summary>
    public virtual int Regions => 1;

    public long RegionBytes => Capacity / Math.Max(1, Regions);

    public int Region(long address) => Regions <= 1 ? 0 : (int)Math.Clamp(address / RegionBytes, 0, Regions - 1);

    /// <summary>Whether tiles are laid out in the order they are first read (a delay line) rather than by lifetime.</summary>
    public virtual bool InReadingOrder => false;

    /// <summary>The unit tiles are laid out in when <see cref="InReadingOrder"/> (a fibre slot).</summary>
    public virtual long Alignment => 1;

    /// <summary>Data read from it has nowhere to wait: its consumer must start within one more transfer time.</summary>
    public virtual bool Streams => false;

    /// <summary>Why results cannot be stored into it, or null when they can.</summary>
    public virtual string? NotWritable => null;

    /// <summary>The steps a load takes, in order; each after the one before has ended (flash: read the pages, then move them).</summary>
    public virtual IReadOnlyList<Opcode> LoadSteps { get; } = [Opcode.Load];

    /// <summary>The step an instruction of <paramref name="op"/> on <paramref name="tile"/> takes, or null if it has none.</summary>
    public Step? Plan(Opcode op, Tile tile, Link? link) => op switch
    {
        Opcode.Load when link is not null => Load(tile, link),
        Opcode.Store when link is not null && NotWritable is null => Store(tile, link),
        Opcode.Load or Opcode.Store => null,
        _ => LoadSteps.Contains(op) ? Prepare(op, tile) : null,
    };

    protected virtual Step Load(Tile tile, Link link) =>
        new(Opcode.Load, link.TransferCycles(tile.Bytes), tile.Bytes, Holds(tile), link.Latency);

    protected virtual Step Store(Tile tile, Link link) =>
        new(Opcode.Store, link.TransferCycles(tile.Bytes), tile.Bytes, Holds(tile), link.Latency + Latency);

    /// <summary>A step before the load (only kinds that name one in <see cref="LoadSteps"/>).</summary>
    protected virtual Step? Prepare(Opcode op, Tile tile) => null;

    /// <summary>The resource a transfer of <paramref name="tile"/> holds: its region's, when regions are resources.</summary>
    protected virtual int Holds(Tile tile) => Resources.Count > 0 ? Region(tile.Address) : -1;

    /// <summary>Whole cycles for <paramref name="bytes"/> at <paramref name="bytesPerCycle"/>, at least one.</summary>
    protected static long Cycles(double bytes, double bytesPerCycle) => Math.Max(1, Cycle.Ceiling(bytes / bytesPerCycle));

    protected static IReadOnlyList<Resource> Numbered(string what, int count, Verification.ViolationKind conflict) =>
        Enumerable.Range(0, count).Select(i => new Resource($"{what}[{i}]", 1, conflict)).ToArray();
}

/// <summary>The keyword and property values a memory was declared with (base units; times already in cycles).</summary>
public sealed record Declaration(string Kind, double ClockHz, IReadOnlyList<(string Name, double Value)> Values);
