using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Runtime.Targets.Kinds;

/// <summary>
/// A CXL-attached memory expander (a CXL Type 3 device): DRAM behind a PCIe-class port. The port carries one transfer at
/// a time at the device's bandwidth, so the slower of the port and the link sets a transfer's pace, and every access
/// pays the device's load-to-use latency (hundreds of nanoseconds, a NUMA hop) on top of the link's.
/// </summary>
public sealed record Cxl(string Name, long Capacity, int Latency, double PortBytesPerCycle, double ClockHz)
    : Memory(Name, Capacity, Latency)
{
    private static readonly IReadOnlyList<Resource> Port = [new("port", 1, ViolationKind.ChannelConflict)];

    public override double BytesPerSecond => PortBytesPerCycle * ClockHz;
    public override IReadOnlyList<Resource> Resources => Port;

    protected override Step Load(Tile tile, Link link) => new(Opcode.Load, Paced(tile, link), tile.Bytes, 0, link.Latency + Latency);
    protected override Step Store(Tile tile, Link link) => new(Opcode.Store, Paced(tile, link), tile.Bytes, 0, link.Latency + Latency);

    private long Paced(Tile tile, Link link) => Math.Max(link.TransferCycles(tile.Bytes), Cycles(tile.Bytes, PortBytesPerCycle));

    public override IEnumerable<(string Figure, string Value)> Figures =>
        [("load-to-use", $"{Latency} cycles ({Latency / ClockHz * 1e9:0.#} ns)"), ("port",
            $"{BytesPerSecond / 1e9:0.##} GB/s, one transfer at a time")];
}

public sealed class CxlKind : MemoryKind
{
    public override IReadOnlyList<string> Keywords => ["cxl"];

    public override IReadOnlyList<Property> Properties { get; } =
    [
        Property.Capacity,
        new("bandwidth", PropertyUnit.BytesPerSecond, "bytes a second the device's port carries") { Required = true, AboveZero = true },
        new("latency", PropertyUnit.Cycles, "load-to-use latency: from an access to its data (or to written data being readable)")
            { Required = true, Max = int.MaxValue },
    ];

    public override Memory Create(string name, Values v, double clockHz, Declaration declared) =>
        new Cxl(name, (long)v["capacity"], v.Count("latency"), v["bandwidth"] / clockHz, clockHz) { Declared = declared };
}
