namespace Sched.Compiler.Scheduling;

/// <summary>
/// Serial list scheduling: take ready operations by longest remaining path (ties by index, so the result is
/// deterministic) and start each at the earliest cycle its dependences and resource capacities allow.
/// </summary>
public static class ListScheduler
{
    /// <summary>Start cycles for every operation, or null when the dependences form a cycle.</summary>
    public static long[]? Solve(Problem problem)
    {
        var n = problem.Count;
        var successors = Adjacency(problem, forward: true);
        var predecessors = Adjacency(problem, forward: false);
        var order = TopologicalOrder(n, successors);
        if (order is null) return null;

        var tail = new long[n];
        for (var k = n - 1; k >= 0; k--)
        {
            var i = order[k];
            tail[i] = problem.Durations[i] + problem.Latencies[i];
            foreach (var (to, lag) in successors[i]) tail[i] = Math.Max(tail[i], lag + tail[to]);
        }

        var profiles = new ResourceProfiles(problem.Capacities);
        var starts = new long[n];
        var waiting = predecessors.Select(p => p.Count).ToArray();
        var ready = new PriorityQueue<int, (long, int)>();
        for (var i = 0; i < n; i++)
            if (waiting[i] == 0) ready.Enqueue(i, (-tail[i], i));
        while (ready.TryDequeue(out var i, out _))
        {
            var earliest = 0L;
            foreach (var (from, lag) in predecessors[i]) earliest = Math.Max(earliest, starts[from] + lag);
            starts[i] = EarliestFit(problem, profiles, i, earliest);
            foreach (var demand in problem.Demands[i]) profiles[demand.Resource].Book(starts[i], problem.Durations[i], demand.Amount);
            foreach (var (to, _) in successors[i])
                if (--waiting[to] == 0) ready.Enqueue(to, (-tail[to], to));
        }
        return starts;
    }

    private static long EarliestFit(Problem problem, ResourceProfiles profiles, int op, long earliest)
    {
        var demands = problem.Demands[op];
        var duration = problem.Durations[op];
        // Move forward until every demanded resource has room at the same start.
        while (true)
        {
            var t = earliest;
            foreach (var d in demands) t = Math.Max(t, profiles[d.Resource].EarliestFit(t, duration, d.Amount));
            if (t == earliest || demands.Length <= 1) return t;
            earliest = t;
        }
    }

    internal static List<(int Other, long Lag)>[] Adjacency(Problem problem, bool forward)
    {
        var lists = new List<(int, long)>[problem.Count];
        for (var i = 0; i < lists.Length; i++) lists[i] = [];
        foreach (var d in problem.Dependences)
            if (forward) lists[d.From].Add((d.To, d.MinLag));
            else lists[d.To].Add((d.From, d.MinLag));
        return lists;
    }

    internal static int[]? TopologicalOrder(int n, List<(int Other, long Lag)>[] successors)
    {
        var indegree = new int[n];
        foreach (var list in successors)
            foreach (var (to, _) in list) indegree[to]++;
        var queue = new Queue<int>(Enumerable.Range(0, n).Where(i => indegree[i] == 0));
        var order = new List<int>(n);
        while (queue.TryDequeue(out var i))
        {
            order.Add(i);
            foreach (var (to, _) in successors[i])
                if (--indegree[to] == 0) queue.Enqueue(to);
        }
        return order.Count == n ? order.ToArray() : null;
    }
}
