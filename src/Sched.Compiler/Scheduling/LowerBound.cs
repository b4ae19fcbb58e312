namespace Sched.Compiler.Scheduling;

/// <summary>No schedule can be shorter than this; reports show makespan ÷ bound.</summary>
public readonly record struct LowerBound(long Cycles, string Kind)
{
    /// <summary>
    /// The largest of the critical path under minimum lags, the busiest resource's load, and a resource's load between the
    /// work that must precede and follow it (<see cref="ResourceBound"/>).
    /// </summary>
    public static LowerBound Of(Problem problem)
    {
        var graph = new Graph(problem);
        var earliest = Temporal.EarliestStarts(problem, graph, out _);
        return earliest is null ? Of(problem, graph, new long[problem.Count], null)
            : Of(problem, graph, earliest, Solver.Tails(problem, graph));
    }

    internal static LowerBound Of(Problem problem, Graph graph, long[] earliest, long[]? tails)
    {
        var path = 0L;
        for (var i = 0; i < problem.Count; i++) path = Math.Max(path, earliest[i] + problem.Durations[i] + problem.Latencies[i]);
        var load = new long[problem.Capacities.Count];
        for (var i = 0; i < problem.Count; i++)
            foreach (var d in problem.Demands[i]) load[d.Resource] += d.Amount * problem.Durations[i];
        var busiest = -1;
        var loadBound = 0L;
        for (var r = 0; r < load.Length; r++)
        {
            var cycles = (load[r] + problem.Capacities[r] - 1) / problem.Capacities[r];
            if (cycles > loadBound) { loadBound = cycles; busiest = r; }
        }
        var bound = loadBound > path
            ? new LowerBound(loadBound, $"load of {problem.ResourceNames[busiest]}")
            : new LowerBound(path, "critical path");
        if (tails is null) return bound;
        var (between, resource) = ResourceBound.Of(problem, graph, earliest, tails);
        return bound.Max(new LowerBound(between, resource < 0 ? "" : $"load of {problem.ResourceNames[resource]} between the work "
            + "before and after it"));
    }

    /// <summary>
    /// The makespan without resources: the longest path of durations and minimum lags (the literature's LB0, against which j60 and
    /// j120 results are reported); 0 when the lags are inconsistent.
    /// </summary>
    public static long CriticalPath(Problem problem)
    {
        if (Temporal.EarliestStarts(problem, new Graph(problem), out _) is not { } starts) return 0;
        var path = 0L;
        for (var i = 0; i < problem.Count; i++) path = Math.Max(path, starts[i] + problem.Durations[i]);
        return path;
    }

    /// <summary>The better of two bounds.</summary>
    public LowerBound Max(LowerBound other) => other.Cycles > Cycles ? other : this;
}
