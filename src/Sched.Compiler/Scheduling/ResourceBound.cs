using Sched.Runtime.Verification;

namespace Sched.Compiler.Scheduling;

/// <summary>
/// Every resource's load between the work before and after it (<see cref="HeadBodyTail"/>), with heads from the earliest starts
/// and the time after each operation from its tail.
/// </summary>
internal static class ResourceBound
{
    /// <summary>The best bound over all resources and the resource it comes from (-1 when no resource is used).</summary>
    public static (long Cycles, int Resource) Of(Problem problem, long[] heads, long[] tails)
    {
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
}
