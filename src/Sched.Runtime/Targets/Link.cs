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
        new("latency", PropertyUnit.Cycles, "cycles from a transfer's last byte leaving to its arrival")
            { Default = 0, Max = int.MaxValue },
        new("lanes", PropertyUnit.Count, "transfers it carries at once") { Default = 1, Min = 1 },
    ];

    /// <summary>Bytes a slice of a lane carries in a cycle at least (a cache line), and the most slices a lane is cut into.</summary>
    public const double SliceBytes = 64;
    public const int MaxSlices = 1024;

    /// <summary>The resource it adds: its lanes, each cut into slices so that small transfers share a cycle.</summary>
    public Resource Resource => new(Name, Lanes * Slices, Verification.ViolationKind.LaneConflict) { Slices = Slices };

    public int Slices => SlicesOf(BytesPerCycle);

    /// <summary>A transfer of n bytes occupies a lane for ceil(n / bytes-per-cycle) cycles, at least one.</summary>
    public long TransferCycles(long bytes) => Math.Max(1, Cycle.Ceiling(bytes / BytesPerCycle));

    /// <summary>How many of a lane's slices a transfer of n bytes takes: all of them from a cycle's worth up, else its share.</summary>
    public int SlicesFor(long bytes) => Share(bytes, BytesPerCycle);

    /// <summary>
    /// A lane of b bytes a cycle is cut into floor(b ÷ 64 B) slices (1 to 1,024), so a transfer of fewer bytes than a cycle carries
    /// takes ceil(slices × bytes ÷ b) of them and others share the cycle: a 21 PB/s wafer moves its small tiles at its bandwidth,
    /// not one tile a cycle. A transfer of a cycle's worth or more holds the whole lane, as before.
    /// </summary>
    public static int SlicesOf(double bytesPerCycle) => (int)Math.Clamp(Math.Floor(bytesPerCycle / SliceBytes), 1, MaxSlices);

    public static int Share(long bytes, double bytesPerCycle)
    {
        var slices = SlicesOf(bytesPerCycle);
        return bytes >= bytesPerCycle ? slices : Math.Clamp((int)Math.Ceiling(slices * bytes / bytesPerCycle), 1, slices);
    }
}
