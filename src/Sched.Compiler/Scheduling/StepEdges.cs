namespace Sched.Compiler.Scheduling;

/// <summary>
/// A pipelined step's dependences at one initiation interval, by operation — a carried one's lag less its distance × II — and
/// what both modulo placers ask of them: where an operation may go beside those already placed, and which operations are
/// weight loads (nothing before them in the step, something after), placed last and as late as their consumers allow.
/// </summary>
internal sealed class StepEdges
{
    /// <summary>The bound on an operation with no placed neighbour on that side (far from overflow when a lag is added).</summary>
    public const long Unbounded = long.MaxValue / 4;

    private readonly List<(int Other, long Lag)>[] _into, _outOf;

    public StepEdges(Problem kernel, IReadOnlyList<CarriedDependence> carried, long ii)
    {
        _into = Enumerable.Range(0, kernel.Count).Select(_ => new List<(int Other, long Lag)>()).ToArray();
        _outOf = Enumerable.Range(0, kernel.Count).Select(_ => new List<(int Other, long Lag)>()).ToArray();
        foreach (var (from, to, lag) in kernel.Dependences.Select(d => (d.From, d.To, d.MinLag))
                     .Concat(carried.Select(c => (c.From, c.To, c.MinLag - c.Distance * ii))))
        {
            _into[to].Add((from, lag));
            _outOf[from].Add((to, lag));
        }
    }

    public IReadOnlyList<(int Other, long Lag)> Into(int op) => _into[op];

    public IReadOnlyList<(int Other, long Lag)> OutOf(int op) => _outOf[op];

    /// <summary>The offsets the placed neighbours' lags leave <paramref name="op"/>; ±<see cref="Unbounded"/> where none does.</summary>
    public (long Earliest, long Latest) Bounds(int op, long[] offsets, bool[] placed)
    {
        var (earliest, latest) = (-Unbounded, Unbounded);
        foreach (var (from, lag) in _into[op]) if (placed[from]) earliest = Math.Max(earliest, offsets[from] + lag);
        foreach (var (to, lag) in _outOf[op]) if (placed[to]) latest = Math.Min(latest, offsets[to] - lag);
        return (earliest, latest);
    }

    /// <summary>Operations with nothing before them in the step and something after (weight loads).</summary>
    public static bool[] WeightLoads(Problem kernel)
    {
        var (hasPred, hasSucc) = (new bool[kernel.Count], new bool[kernel.Count]);
        foreach (var d in kernel.Dependences) (hasPred[d.To], hasSucc[d.From]) = (true, true);
        return Enumerable.Range(0, kernel.Count).Select(i => !hasPred[i] && hasSucc[i]).ToArray();
    }
}
