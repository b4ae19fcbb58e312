namespace Sched.Compiler.Scheduling;

/// <summary>
/// Iterative modulo scheduling (Rau, 1994), for an interval where one greedy pass of placement fails: operations by height,
/// each at the first offset from its earliest (the lags of its placed predecessors) where the table has room, searching one
/// interval (weight loads last, from their consumers backwards); where none has room it is forced in anyway — at its earliest,
/// or one past where it stood last — and evicts the operations it clashes with on its resources (all, or the smallest until it
/// fits) and the neighbours whose lags it now breaks, which wait to be placed again. A budget of placements per operation
/// bounds the work: null when it runs out.
/// </summary>
internal static class IterativeModulo
{
    // Placements per operation before an interval is given up. Rau's loops needed 3–6 near their MII; decode.sched's step
    // reaches the same interval (139) with 6, 12 or 30, and at d = 512 its step gains nothing from 30 or 100.
    private const int BudgetPerOperation = 6;

    /// <param name="height">each operation's longest path to the end of the step: the taller are placed first</param>
    /// <param name="evictAll">a forced operation evicts everything it overlaps (else the smallest first, only until it fits)</param>
    public static long[]? Place(Problem kernel, StepEdges edges, long ii, long[] height, bool evictAll)
    {
        var n = kernel.Count;
        for (var i = 0; i < n; i++) if (kernel.Durations[i] > ii) return null;   // it would overlap itself in the next step
        // As in the greedy pass, weight loads go last and as late as their consumers allow, so they move out of each other's way
        // into the step before (a prefetch), not the compute after them.
        var deferred = StepEdges.WeightLoads(kernel);
        var order = Enumerable.Range(0, n).OrderBy(i => deferred[i]).ThenBy(i => deferred[i] ? height[i] : -height[i]).ThenBy(i => i)
            .ToArray();
        var rank = new int[n];
        for (var k = 0; k < n; k++) rank[order[k]] = k;
        var waiting = new SortedSet<int>(Comparer<int>.Create((a, b) => rank[a].CompareTo(rank[b])));
        for (var i = 0; i < n; i++) waiting.Add(i);
        var table = new ModuloTable(kernel.Capacities, ii);
        var offsets = new long[n];
        var placed = new bool[n];
        var last = new long?[n];
        void Evict(int op)
        {
            table.Release(op, kernel.Demands[op]);
            placed[op] = false;
            waiting.Add(op);
        }

        for (var budget = BudgetPerOperation * (long)n; waiting.Count > 0; budget--)
        {
            if (budget == 0) return null;
            var op = waiting.Min;
            waiting.Remove(op);
            var (earliest, latest) = edges.Bounds(op, offsets, placed);
            // Where the search starts: the earliest going forward; a weight load goes backwards from the latest (0 with no consumer
            // placed; earliest bounds it from below).
            var start = deferred[op] ? (latest == StepEdges.Unbounded ? 0 : latest) : (earliest == -StepEdges.Unbounded ? 0 : earliest);
            var window = kernel.Windows.GetValueOrDefault(op, new Window(1, 0));
            var t = deferred[op] ? Latest(kernel, table, op, window, earliest, start, ii) : Earliest(kernel, table, op, window, start, ii);
            if (t is null)
            {
                // Forced in (Rau): where the search started, or one step on from where it stood last, so a retry moves on.
                var up = !deferred[op];
                t = last[op] is { } before && (up ? before >= start : before <= start)
                    ? window.Align(up ? before + 1 : before - 1, up) : window.Align(start, up);
                var occupants = table.Occupants(kernel.Demands[op], t.Value, kernel.Durations[op]).ToList();
                if (!evictAll) occupants = occupants.OrderBy(o => kernel.Durations[o] * kernel.Demands[o].Sum(d => (long)d.Amount))
                    .ToList();
                foreach (var other in occupants)
                {
                    if (!evictAll && table.Clash(kernel.Demands[op], t.Value, kernel.Durations[op], forward: true) is null) break;
                    Evict(other);
                }
            }
            table.Reserve(op, kernel.Demands[op], t.Value, kernel.Durations[op]);
            (offsets[op], placed[op], last[op]) = (t.Value, true, t);
            foreach (var (to, lag) in edges.OutOf(op)) if (to != op && placed[to] && offsets[to] < t + lag) Evict(to);
            foreach (var (from, lag) in edges.Into(op)) if (from != op && placed[from] && t < offsets[from] + lag) Evict(from);
        }
        return offsets;
    }

    /// <summary>The first offset in [earliest, earliest + II) where the table has room for the operation, or null.</summary>
    private static long? Earliest(Problem kernel, ModuloTable table, int op, Window window, long earliest, long ii)
    {
        for (var t = window.Align(earliest, up: true); t < earliest + ii;)
        {
            var clash = table.Clash(kernel.Demands[op], t, kernel.Durations[op], forward: true);
            if (clash is null) return t;
            t = window.Align(t + clash.Value, up: true);
        }
        return null;
    }

    /// <summary>The last offset in (latest − II, latest], and not before earliest, where the table has room, or null.</summary>
    private static long? Latest(Problem kernel, ModuloTable table, int op, Window window, long earliest, long latest, long ii)
    {
        for (var t = window.Align(latest, up: false); t > latest - ii && t >= earliest;)
        {
            var clash = table.Clash(kernel.Demands[op], t, kernel.Durations[op], forward: false);
            if (clash is null) return t;
            t = window.Align(t - clash.Value, up: false);
        }
        return null;
    }
}
