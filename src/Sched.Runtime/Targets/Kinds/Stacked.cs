using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Runtime.Targets.Kinds;

/// <summary>
/// DRAM stacked on a logic die (a Hybrid Memory Cube, or HBM on logic): the stack is cut into vertical vaults, each
/// with its own controller in the logic die. A tile lives in one vault; a vault serves one transfer at a time at its own
/// bandwidth, so the slower of the vault and the link sets a transfer's pace, and data comes <c>latency</c> after it.
/// Tiles are spread over the vaults, so a stack of V vaults streams at V times a vault's bandwidth.
/// </summary>
public sealed record Stacked(string Name, long Capacity, int Latency, int Vaults, double VaultBytesPerCycle, double ClockHz)
    : Memory(Name, Capacity, Latency)
{
    public override double BytesPerSecond => Vaults * VaultBytesPerCycle * ClockHz;
    public override int Regions => Vaults;
    public override IReadOnlyList<Resource> Resources => _vaults ??= Numbered("vault", Vaults, ViolationKind.BankConflict);
    private IReadOnlyList<Resource>? _vaults;

    // A load waits the vault's access latency as well as the link's; a store is readable after both too.
    protected override Step Load(Tile tile, Link link) =>
        new(Opcode.Load, Paced(tile, link), tile.Bytes, Region(tile.Address), link.Latency + Latency);

    protected override Step Store(Tile tile, Link link) =>
        new(Opcode.Store, Paced(tile, link), tile.Bytes, Region(tile.Address), link.Latency + Latency);

    private long Paced(Tile tile, Link link) => Math.Max(link.TransferCycles(tile.Bytes), Cycles(tile.Bytes, VaultBytesPerCycle));

    public override IEnumerable<(string Figure, string Value)> Figures =>
        [("vaults", $"{Vaults} of {RegionBytes} B at {VaultBytesPerCycle * ClockHz / 1e9:0.##} GB/s each")];
}

public sealed class StackedKind : MemoryKind
{
    public override IReadOnlyList<string> Keywords => ["stacked"];

    public override IReadOnlyList<Property> Properties { get; } =
    [
        Property.Capacity,
        new("vaults", PropertyUnit.Count,
            "vertical vaults, each with its own controller and serving one transfer at a time") { Required = true, Min = 1 },
        new("bandwidth", PropertyUnit.BytesPerSecond, "bytes a second one vault serves") { Required = true, AboveZero = true },
        new("latency", PropertyUnit.Cycles, "cycles from a vault access to its data (loads) or to data being readable (stores)")
            { Default = 0, Max = int.MaxValue },
    ];

    public override Memory Create(string name, Values v, double clockHz, Declaration declared) =>
        new Stacked(name, (long)v["capacity"], v.Count("latency"), v.Count("vaults"), v["bandwidth"] / clockHz,
            clockHz) { Declared = declared };
}
