namespace Sched.Compiler.Scheduling;

/// <summary>
/// Energetic reasoning (Lopez, Erschler and Esquirol; Baptiste, Le Pape and Nuijten): for a trial makespan T every operation has
/// a window [earliest start, T − tail]; within any interval [a, b) it must spend at least the part of its work that cannot fall
/// outside, min(b − a, d, earliest end − a, b − latest start); if a resource's required energy exceeds capacity × (b − a), no
/// schedule ends by T. The bound is the first T from the given one that passes, over intervals between window ends. Its cost
/// grows as n³, so it is used up to <see cref="MaxOperations"/> operations (PSPLIB sizes), where it is tenths of a second at most.
/// </summary>
internal static class EnergeticBound
{
    public const int MaxOperations = 150;

    /// <summary>
    /// The smallest makespan ≥ <paramref name="from"/> that energetic reasoning cannot rule out. Wider windows only lower the
    /// energy each interval needs, so passing is monotone in the makespan: a search that doubles its step and then bisects
    /// needs about 2·log₂(gap) checks, each O(n³).
    /// </summary>
    public static long Of(Problem problem, long[] earliest, long[] tails, long from)
    {
        if (Feasible(problem, earliest, tails, from)) return from;
        var (failed, step) = (from, 1L);
        while (!Feasible(problem, earliest, tails, failed + step))
        {
            failed += step;
            if (step > long.MaxValue / 4) return failed;
            step *= 2;
        }
        var passed = failed + step;
        while (passed - failed > 1)
        {
            var mid = failed + (passed - failed) / 2;
            if (Feasible(problem, earliest, tails, mid)) passed = mid; else failed = mid;
        }
        return passed;
    }

    private static bool Feasible(Problem problem, long[] earliest, long[] tails, long makespan)
    {
        var n = problem.Count;
        var latest = new long[n];
        for (var i = 0; i < n; i++)
        {
            latest[i] = makespan - tails[i];
            if (latest[i] < earliest[i]) return false;
        }
        for (var r = 0; r < problem.Capacities.Count; r++)
        {
            var users = new List<(int Op, int Amount)>();
            for (var i = 0; i < n; i++)
                foreach (var d in problem.Demands[i])
                    if (d.Resource == r && problem.Durations[i] > 0) users.Add((i, d.Amount));
            if (users.Count < 2) continue;
            var starts = users.SelectMany(u => new[] { earliest[u.Op], latest[u.Op], earliest[u.Op] + problem.Durations[u.Op] })
                .Distinct().Order().ToArray();
            var ends = users.SelectMany(u => new[] { latest[u.Op] + problem.Durations[u.Op], earliest[u.Op] + problem.Durations[u.Op],
                latest[u.Op] }).Distinct().Order().ToArray();
            foreach (var a in starts)
                foreach (var b in ends)
                {
                    if (b <= a) continue;
                    var energy = 0L;
                    var room = (long)problem.Capacities[r] * (b - a);
                    foreach (var (op, amount) in users)
                    {
                        var d = problem.Durations[op];
                        var least = Math.Min(Math.Min(b - a, d), Math.Min(earliest[op] + d - a, b - latest[op]));
                        if (least > 0 && (energy += amount * least) > room) return false;
                    }
                }
        }
        return true;
    }
}
