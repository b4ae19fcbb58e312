namespace Sched.Runtime.Targets;

/// <summary>A directed link between a memory and a compute unit; each of its lanes carries one transfer at a time.</summary>
public sealed record Link(string Name, string From, string To, double BytesPerCycle, int Latency, int Lanes)
{
    /// <summary>A transfer of n bytes occupies a lane for ceil(n / bytes-per-cycle) cycles, at least one.</summary>
    public long TransferCycles(long bytes) => Math.Max(1, Cycle.Ceiling(bytes / BytesPerCycle));
}
