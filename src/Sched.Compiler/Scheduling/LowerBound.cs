namespace Sched.Compiler.Scheduling;

/// <summary>No schedule can be shorter than this; reports show makespan ÷ bound.</summary>
public readonly record struct LowerBound(long Cycles, string Kind)
{
    /// <summary>The larger of the critical path under minimum lags and the busiest resource's load.</summary>
    public static LowerBound Of(Problem problem)
    {
        var successors = ListScheduler.Adjacency(problem, forward: true);
        var order = ListScheduler.TopologicalOrder(problem.Count, successors) ?? [];
        var head = new long[problem.Count];
        var path = 0L;
        foreach (var i in order)
        {
            path = Math.Max(path, head[i] + problem.Durations[i] + problem.Latencies[i]);
            foreach (var (to, lag) in successors[i]) head[to] = Math.Max(head[to], head[i] + lag);
        }
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
        return loadBound > path
            ? new LowerBound(loadBound, $"load of {problem.ResourceNames[busiest]}")
            : new LowerBound(path, "critical path");
    }
}
