namespace Sched.Runtime.Targets;

/// <summary>
/// A directed link between a memory and a compute unit; each of its lanes carries one transfer at a time. A link to
/// or from a burst memory (HBM, DRAM) moves whole bursts of <see cref="Burst"/> bytes.
/// </summary>
public sealed record Link(string Name, string From, string To, double BytesPerCycle, int Latency, int Lanes, long Burst = 0)
{
    /// <summary>A transfer of n bytes (rounded up to whole bursts) occupies a lane for ceil(n / bytes-per-cycle) cycles, at least one.</summary>
    public long TransferCycles(long bytes) => Math.Max(1, Cycle.Ceiling(Moved(bytes) / BytesPerCycle));

    /// <summary>The bytes a transfer really moves: whole bursts.</summary>
    public long Moved(long bytes) => Burst > 0 ? (bytes + Burst - 1) / Burst * Burst : bytes;
}
