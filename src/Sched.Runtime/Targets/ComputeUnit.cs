namespace Sched.Runtime.Targets;

public enum UnitKind { Matrix, Vector }

/// <summary>One compute unit (one instance of a pool such as <c>mxu[2]</c>); its result exists <see cref="Latency"/> cycles after an op ends.</summary>
public sealed record ComputeUnit(string Name, string Pool, UnitKind Kind, double FlopsPerCycle, int Latency)
{
    /// <summary>An op of <paramref name="flops"/> occupies the unit for ceil(flops / peak-per-cycle) cycles, at least one.</summary>
    public long ComputeCycles(double flops) => Math.Max(1, Cycle.Ceiling(flops / FlopsPerCycle));
}
