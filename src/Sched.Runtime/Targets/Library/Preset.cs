namespace Sched.Runtime.Targets.Library;

/// <summary>A memory or storage tier of a preset with its headline figures in base units (B, B/s, s, FLOP/s).</summary>
public sealed record Tier(string Name, string Kind, double Capacity, double Bandwidth, double LatencySeconds)
{
    /// <summary>Capacity ÷ bandwidth: how long reading the whole tier once takes.</summary>
    public double DrainSeconds => Bandwidth > 0 ? Capacity / Bandwidth : 0;
}

/// <summary>A sourced figure: what it is, its value as the source states it, and the source.</summary>
public sealed record Source(string Figure, string Value, string Reference);

/// <summary>
/// A named parameter that closes the gap between a preset's floor and what the system is measured to do (achievable bandwidth,
/// launch latency, per-hop latency), with its value and its source or the word assumption: printed in every report on it.
/// </summary>
public sealed record Overhead(string Name, string Value, string Source);

/// <summary>
/// A target of the library: its tiers and peak compute for `sched targets`, the sources of every figure, the
/// assumptions where no source gives a number, and the machine programs run on — null while the kind's
/// cycle-exact rules are not modelled yet (then <see cref="NotSchedulable"/> says why).
/// </summary>
public sealed record Preset(
    string Name,
    string Summary,
    IReadOnlyList<Tier> Tiers,
    double PeakFlops,
    IReadOnlyList<Source> Sources,
    IReadOnlyList<string> Assumptions,
    Machine? Machine,
    int TileWidth,
    string? NotSchedulable,
    IReadOnlyList<(string Figure, string Value)>? Derived = null)
{
    public IReadOnlyList<Overhead> Overheads { get; init; } = [];
}
