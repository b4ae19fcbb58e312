namespace Sched.Compiler.Scheduling;

/// <summary>
/// Earliest starts under the dependences alone (no resources), by longest paths from time 0. Lags of any
/// sign are allowed; a cycle of positive total lag means no schedule exists, which is reported, never looped on.
/// </summary>
internal static class Temporal
{
    /// <summary>Earliest starts, or null with the operations of a positive cycle in <paramref name="cycle"/>.</summary>
    public static long[]? EarliestStarts(Problem problem, Graph graph, out int[] cycle)
    {
        var n = problem.Count;
        var es = new long[n];
        cycle = [];
        if (!problem.HasNegativeLags && TopologicalOrder(n, graph) is { } order)
        {
            foreach (var i in order)
                for (var e = graph.SuccStart[i]; e < graph.SuccStart[i + 1]; e++)
                    es[graph.Succ[e]] = Math.Max(es[graph.Succ[e]], es[i] + graph.SuccLag[e]);
            return es;
        }
        // Label-correcting longest paths (SPFA); more than n relaxations of one node reveals a positive cycle.
        var count = new int[n];
        var parent = new int[n];
        Array.Fill(parent, -1);
        var inQueue = new bool[n];
        var queue = new Queue<int>(Enumerable.Range(0, n));
        Array.Fill(inQueue, true);
        while (queue.TryDequeue(out var i))
        {
            inQueue[i] = false;
            for (var e = graph.SuccStart[i]; e < graph.SuccStart[i + 1]; e++)
            {
                var j = graph.Succ[e];
                if (es[i] + graph.SuccLag[e] <= es[j]) continue;
                es[j] = es[i] + graph.SuccLag[e];
                parent[j] = i;
                if (++count[j] > n)
                {
                    cycle = Cycle(parent, j, n);
                    return null;
                }
                if (!inQueue[j]) { inQueue[j] = true; queue.Enqueue(j); }
            }
        }
        return es;
    }

    public static int[]? TopologicalOrder(int n, Graph graph)
    {
        var indegree = new int[n];
        foreach (var j in graph.Succ) indegree[j]++;
        var queue = new Queue<int>();
        for (var i = 0; i < n; i++) if (indegree[i] == 0) queue.Enqueue(i);
        var order = new int[n];
        var k = 0;
        while (queue.TryDequeue(out var i))
        {
            order[k++] = i;
            for (var e = graph.SuccStart[i]; e < graph.SuccStart[i + 1]; e++)
                if (--indegree[graph.Succ[e]] == 0) queue.Enqueue(graph.Succ[e]);
        }
        return k == n ? order : null;
    }

    private static int[] Cycle(int[] parent, int start, int n)
    {
        // Walk back n steps to be sure to stand on the cycle, then collect it.
        var v = start;
        for (var i = 0; i < n; i++) v = parent[v] < 0 ? v : parent[v];
        var cycle = new List<int> { v };
        for (var u = parent[v]; u != v && u >= 0 && cycle.Count <= n; u = parent[u]) cycle.Add(u);
        cycle.Reverse();
        return cycle.ToArray();
    }
}
