namespace Sched.Compiler.Scheduling;

/// <summary>
/// A complete depth-first search for small problems, used when the heuristic finds nothing: it either finds a
/// schedule, proves that none exists, or gives up after a node budget. Start-time domains come from all-pairs
/// longest paths (so every time lag is propagated), and branches try each start in the domain that the
/// resources allow, earliest first. The horizon Σ max(duration, largest outgoing lag) bounds some feasible
/// schedule whenever one exists, so exhausting it is a proof of infeasibility.
/// </summary>
internal static class ExactSearch
{
    public enum Result { Found, Infeasible, GaveUp }

    public static Result Run(Problem problem, long nodeBudget, out long[]? starts)
    {
        starts = null;
        var n = problem.Count;
        const long None = long.MinValue / 4;
        var dist = new long[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++) dist[i, j] = i == j ? 0 : None;
        foreach (var d in problem.Dependences) dist[d.From, d.To] = Math.Max(dist[d.From, d.To], d.MinLag);
        for (var k = 0; k < n; k++)
            for (var i = 0; i < n; i++)
                if (dist[i, k] != None)
                    for (var j = 0; j < n; j++)
                        if (dist[k, j] != None && dist[i, k] + dist[k, j] > dist[i, j]) dist[i, j] = dist[i, k] + dist[k, j];
        for (var i = 0; i < n; i++)
            if (dist[i, i] > 0) return Result.Infeasible;

        var horizon = 0L;
        for (var i = 0; i < n; i++)
        {
            var largest = problem.Durations[i];
            foreach (var d in problem.Dependences) if (d.From == i) largest = Math.Max(largest, d.MinLag);
            horizon += Math.Max(0, largest);
        }
        var lo = new long[n];
        var hi = new long[n];
        for (var j = 0; j < n; j++)
        {
            for (var i = 0; i < n; i++) if (dist[i, j] != None) lo[j] = Math.Max(lo[j], dist[i, j]);
            hi[j] = horizon;
            for (var i = 0; i < n; i++) if (dist[j, i] != None) hi[j] = Math.Min(hi[j], horizon - dist[j, i]);
            if (lo[j] > hi[j]) return Result.Infeasible;
        }

        var fixedStart = new long[n];
        var isFixed = new bool[n];
        var nodes = 0L;
        var found = Search(0);
        if (found) { starts = fixedStart; return Result.Found; }
        return nodes > nodeBudget ? Result.GaveUp : Result.Infeasible;

        bool Search(int depth)
        {
            if (depth == n) return true;
            if (++nodes > nodeBudget) return false;
            // Branch on the unfixed operation with the smallest domain, then the earliest.
            var j = -1;
            for (var i = 0; i < n; i++)
                if (!isFixed[i] && (j < 0 || hi[i] - lo[i] < hi[j] - lo[j] || hi[i] - lo[i] == hi[j] - lo[j] && lo[i] < lo[j])) j = i;
            var (saveLo, saveHi) = ((long[])lo.Clone(), (long[])hi.Clone());
            for (var t = lo[j]; t <= hi[j]; t++)
            {
                if (!ResourcesFree(j, t)) continue;
                fixedStart[j] = t;
                isFixed[j] = true;
                var consistent = true;
                for (var i = 0; i < n && consistent; i++)
                {
                    if (isFixed[i] && i != j) continue;
                    if (dist[j, i] != None) lo[i] = Math.Max(lo[i], t + dist[j, i]);
                    if (dist[i, j] != None) hi[i] = Math.Min(hi[i], t - dist[i, j]);
                    if (lo[i] > hi[i]) consistent = false;
                }
                if (consistent && Search(depth + 1)) return true;
                isFixed[j] = false;
                Array.Copy(saveLo, lo, n);
                Array.Copy(saveHi, hi, n);
                if (nodes > nodeBudget) return false;
            }
            return false;
        }

        bool ResourcesFree(int j, long t)
        {
            var d = problem.Durations[j];
            if (d == 0) return true;
            foreach (var demand in problem.Demands[j])
            {
                // Usage only changes where a fixed operation starts, so check t and every fixed start inside [t, t + d).
                var points = new List<long> { t };
                for (var i = 0; i < n; i++)
                    if (isFixed[i] && fixedStart[i] > t && fixedStart[i] < t + d) points.Add(fixedStart[i]);
                foreach (var p in points)
                {
                    var used = demand.Amount;
                    for (var i = 0; i < n; i++)
                        if (isFixed[i] && fixedStart[i] <= p && p < fixedStart[i] + problem.Durations[i])
                            foreach (var other in problem.Demands[i])
                                if (other.Resource == demand.Resource) used += other.Amount;
                    if (used > problem.Capacities[demand.Resource]) return false;
                }
            }
            return true;
        }
    }
}
