using Sched.Runtime.Targets.Kinds;

namespace Sched.Runtime.Targets;

/// <summary>
/// A directed link between a memory and a compute unit; each of its lanes carries one transfer at a time. Between chips it follows
/// a <see cref="Route"/> of channels (machine-wide channel indices), which its transfers hold too; its bandwidth is then the
/// slowest hop's and its latency the sum of theirs.
/// </summary>
public sealed record Link(string Name, string From, string To, double BytesPerCycle, int Latency, int Lanes)
{
    public IReadOnlyList<int> Route { get; init; } = [];

    /// <summary>What `link A -> B { … }` accepts.</summary>
    public static IReadOnlyList<Property> Properties { get; } =
    [
        new("bandwidth", PropertyUnit.BytesPerSecond, "bytes a second one lane carries") { Required = true, AboveZero = true },
        new("latency", PropertyUnit.Cycles, "cycles from a transfer's last byte leaving to its arrival") { Default = 0, Max = int.MaxValue },
        new("lanes", PropertyUnit.Count, "transfers it carries at once") { Default = 1, Min = 1 },
    ];

    /// <summary>The resource it adds: its lanes, each carrying one transfer at a time.</summary>
    public Resource Resource => new(Name, Lanes, Verification.ViolationKind.LaneConflict);

    /// <summary>A transfer of n bytes occupies a lane for ceil(n / bytes-per-cycle) cycles, at least one.</summary>
    public long TransferCycles(long bytes) => Math.Max(1, Cycle.Ceiling(bytes / BytesPerCycle));
}
