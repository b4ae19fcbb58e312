namespace Sched.Runtime.Execution;

/// <summary>What replaying a schedule measured: its length, how busy each unit and link was, the traffic, the outputs.</summary>
public sealed record Replay(
    long Cycles,
    long[] UnitBusy,
    long[] LinkBusy,
    long[] LinkBytes,
    long[] MemoryBytesRead,
    long[] MemoryBytesWritten,
    IReadOnlyDictionary<string, double[]>? Outputs);
