using Sched.Runtime.Verification;

namespace Sched.Compiler.Scheduling;

/// <summary>
/// Every resource's load between the work before and after it (<see cref="HeadBodyTail"/>), with heads from the earliest starts
/// and the time after each operation from its tail.
/// </summary>
internal static class ResourceBound
{
    /// <summary>The best bound over all resources and the resource it comes from (-1 when no resource is used).</summary>
    public static (long Cycles, int Resource) Of(Problem problem, Graph graph, long[] heads, long[] tails)
    {
        (heads, tails) = Tightened(problem, graph, heads, tails);
        var uses = new SortedDictionary<int, List<Use>>();   // only the resources some operation holds
        for (var i = 0; i < problem.Count; i++)
            foreach (var d in problem.Demands[i])
                if (d.Amount > 0 && problem.Durations[i] > 0)
                    (uses.TryGetValue(d.Resource, out var list) ? list : uses[d.Resource] = [])
                        .Add(new Use(heads[i], problem.Durations[i], d.Amount, Math.Max(0, tails[i] - problem.Durations[i])));
        var (best, resource) = (0L, -1);
        foreach (var (r, list) in uses)
            if (HeadBodyTail.Bound(list, problem.Capacities[r]) is var cycles && cycles > best) (best, resource) = (cycles, r);
        return (best, resource);
    }

    /// <summary>
    /// Heads and tails raised by the work that must come before and after each operation on one resource (<see cref="FeedEnergy"/>,
    /// <see cref="AncestorEnergy"/>), over the dependences that say an operation ends before the next starts; problems with maximum
    /// lags keep theirs.
    /// </summary>
    private static (long[] Heads, long[] Tails) Tightened(Problem problem, Graph graph, long[] heads, long[] tails)
    {
        if (problem.HasNegativeLags) return (heads, tails);
        var n = problem.Count;
        var durations = problem.Durations.ToArray();
        var afters = new long[n];
        Array.Fill(afters, long.MaxValue);
        // The graph's predecessors, those that end before the operation starts (earlier in the list, lag at least the duration).
        var feeds = new int[]?[n];
        bool Ends(int e, int k) => graph.Pred[e] < k && graph.PredLag[e] >= durations[graph.Pred[e]];
        for (var k = 0; k < n; k++)
        {
            var count = 0;
            for (var e = graph.PredStart[k]; e < graph.PredStart[k + 1]; e++) if (Ends(e, k)) count++;
            if (count == 0) continue;
            var list = feeds[k] = new int[count];
            for (int e = graph.PredStart[k], i = 0; e < graph.PredStart[k + 1]; e++)
            {
                if (!Ends(e, k)) continue;
                var p = list[i++] = graph.Pred[e];
                afters[p] = Math.Min(afters[p], graph.PredLag[e] - durations[p]);
            }
        }
        for (var i = 0; i < n; i++) if (afters[i] == long.MaxValue) afters[i] = 0;
        var holds = new (int Resource, int Amount)[]?[n];
        for (var i = 0; i < n; i++)
            if (problem.Demands[i] is { Length: > 0 } demands)
            {
                holds[i] = new (int, int)[demands.Length];
                for (var j = 0; j < demands.Length; j++) holds[i]![j] = (demands[j].Resource, demands[j].Amount);
            }
        var (h, t) = ((long[])heads.Clone(), (long[])tails.Clone());
        FeedEnergy.Tighten(h, t, durations, afters, feeds, holds, problem.Capacities);
        // Every ancestor, in windows, where that is cheap; on larger problems the providers two deep see what matters.
        if (n <= AncestorEnergy.MaxSteps) AncestorEnergy.Tighten(h, t, durations, afters, feeds, holds, problem.Capacities);
        return (h, t);
    }
}
