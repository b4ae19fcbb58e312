namespace Sched.Compiler.Scheduling;

/// <summary>A dependence that crosses iterations: <c>start(To, k + Distance) ≥ start(From, k) + MinLag</c>.</summary>
public readonly record struct CarriedDependence(int From, int To, int Distance, long MinLag);

/// <summary>A modulo schedule: iteration k of operation i starts at <c>Offsets[i] + k · Interval</c>.</summary>
public sealed record ModuloSchedule(long Interval, long ResMii, long RecMii, long[] Offsets);

/// <summary>
/// Modulo scheduling of a repeated step (software pipelining): the initiation interval is searched upward
/// from max(ResMII, RecMII); for each candidate, operations are placed by height into a modulo reservation
/// table. A result is accepted only when the unrolled schedule passes <see cref="Problem.Verify"/>.
/// </summary>
public static class ModuloScheduler
{
    /// <param name="iterations">How many iterations will run; the unrolled check covers every pair that can overlap.</param>
    public static ModuloSchedule? Solve(Problem kernel, IReadOnlyList<CarriedDependence> carried, int iterations = 4, long maxInterval = 0)
    {
        var n = kernel.Count;
        var resMii = 1L;
        var load = new long[kernel.Capacities.Count];
        for (var i = 0; i < n; i++)
            foreach (var d in kernel.Demands[i]) load[d.Resource] += d.Amount * kernel.Durations[i];
        for (var r = 0; r < load.Length; r++) resMii = Math.Max(resMii, (load[r] + kernel.Capacities[r] - 1) / kernel.Capacities[r]);
        var recMii = RecMii(kernel, carried, resMii);
        if (recMii < 0) return null;   // an intra-iteration cycle with positive lag: no interval helps
        var total = 0L;
        for (var i = 0; i < n; i++) total += kernel.Durations[i] + kernel.Latencies[i];
        foreach (var d in kernel.Dependences) total += Math.Max(0, d.MinLag);
        var limit = maxInterval > 0 ? maxInterval : Math.Max(total, Math.Max(resMii, recMii)) + 1;

        var height = Solver.Tails(kernel, new Graph(kernel));
        var order = Enumerable.Range(0, n).OrderByDescending(i => height[i]).ThenBy(i => i).ToArray();
        for (var ii = Math.Max(resMii, recMii); ii <= limit; ii++)
        {
            if (TryPlace(kernel, carried, ii, order) is not { } offsets) continue;
            var result = new ModuloSchedule(ii, resMii, recMii, offsets);
            // Iterations further apart than the step's length never meet, so this many suffice to check all overlaps.
            var span = Enumerable.Range(0, n).Select(i => offsets[i] + kernel.Durations[i] + kernel.Latencies[i]).DefaultIfEmpty(0).Max();
            var needed = (int)Math.Min(iterations, span / ii + 2 + carried.Select(c => c.Distance).DefaultIfEmpty(0).Max());
            if (Verify(kernel, carried, result, Math.Max(1, needed)) is null) return result;
        }
        return null;
    }

    /// <summary>Unrolls <paramref name="iterations"/> iterations into one problem and verifies the modulo schedule there.</summary>
    public static string? Verify(Problem kernel, IReadOnlyList<CarriedDependence> carried, ModuloSchedule schedule, int iterations)
    {
        var (unrolled, starts) = Unroll(kernel, carried, schedule, iterations);
        return unrolled.Verify(starts);
    }

    public static (Problem Problem, long[] Starts) Unroll(Problem kernel, IReadOnlyList<CarriedDependence> carried,
        ModuloSchedule schedule, int iterations)
    {
        var n = kernel.Count;
        var unrolled = new Problem(kernel.ResourceNames, kernel.Capacities);
        var starts = new long[n * iterations];
        for (var k = 0; k < iterations; k++)
            for (var i = 0; i < n; i++)
            {
                unrolled.AddOperation(kernel.Durations[i], kernel.Latencies[i], kernel.Demands[i]);
                starts[k * n + i] = schedule.Offsets[i] + k * schedule.Interval;
            }
        for (var k = 0; k < iterations; k++)
        {
            foreach (var d in kernel.Dependences) unrolled.AddDependence(k * n + d.From, k * n + d.To, d.MinLag);
            foreach (var c in carried)
                if (k + c.Distance < iterations) unrolled.AddDependence(k * n + c.From, (k + c.Distance) * n + c.To, c.MinLag);
        }
        return (unrolled, starts);
    }

    /// <summary>The smallest interval for which no dependence cycle has positive weight (lag − distance · II).</summary>
    private static long RecMii(Problem kernel, IReadOnlyList<CarriedDependence> carried, long from)
    {
        if (HasPositiveCycle(kernel, carried, long.MaxValue / 4)) return -1;
        if (!HasPositiveCycle(kernel, carried, from)) return from;
        long lo = from, hi = from;
        while (HasPositiveCycle(kernel, carried, hi)) { lo = hi; hi *= 2; }
        while (hi - lo > 1)
        {
            var mid = lo + (hi - lo) / 2;
            if (HasPositiveCycle(kernel, carried, mid)) lo = mid; else hi = mid;
        }
        return hi;
    }

    private static bool HasPositiveCycle(Problem kernel, IReadOnlyList<CarriedDependence> carried, long ii)
    {
        var n = kernel.Count;
        var edges = kernel.Dependences.Select(d => (d.From, d.To, d.MinLag))
            .Concat(carried.Select(c => (c.From, c.To, c.MinLag - c.Distance * Math.Min(ii, long.MaxValue / 4 / Math.Max(1, c.Distance)))))
            .ToList();
        var dist = new long[n];
        for (var round = 0; round <= n; round++)
        {
            var changed = false;
            foreach (var (from, to, lag) in edges)
                if (dist[from] + lag > dist[to]) { dist[to] = dist[from] + lag; changed = true; }
            if (!changed) return false;
        }
        return true;
    }

    /// <summary>
    /// Places operations in dependence order at the earliest offset their placed neighbours and the modulo table
    /// allow. Operations with no predecessor in the step (weight loads) wait until their consumers are placed and
    /// then go as late as possible before them, so they may fall into the previous iteration (a prefetch).
    /// </summary>
    private static long[]? TryPlace(Problem kernel, IReadOnlyList<CarriedDependence> carried, long ii, int[] order)
    {
        var n = kernel.Count;
        var table = new int[kernel.Capacities.Count, ii];
        var offsets = new long[n];
        var placed = new bool[n];
        var edges = kernel.Dependences.Select(d => (d.From, d.To, Lag: d.MinLag))
            .Concat(carried.Select(c => (c.From, c.To, Lag: c.MinLag - c.Distance * ii))).ToList();
        var graph = new Graph(kernel);
        var topo = Temporal.TopologicalOrder(n, graph) ?? order;
        var hasPred = new bool[n];
        var hasSucc = new bool[n];
        foreach (var d in kernel.Dependences) { hasPred[d.To] = true; hasSucc[d.From] = true; }
        var deferred = topo.Where(i => !hasPred[i] && hasSucc[i]).ToHashSet();
        foreach (var op in topo.Where(i => !deferred.Contains(i)).Concat(topo.Where(deferred.Contains).Reverse()))
        {
            var earliest = long.MinValue / 4;
            var latest = long.MaxValue / 4;
            foreach (var (from, to, lag) in edges)
            {
                if (to == op && placed[from]) earliest = Math.Max(earliest, offsets[from] + lag);
                if (from == op && placed[to]) latest = Math.Min(latest, offsets[to] - lag);
            }
            var alap = deferred.Contains(op);
            if (!alap && earliest == long.MinValue / 4) earliest = 0;
            if (alap && latest == long.MaxValue / 4) latest = 0;
            var found = false;
            for (var step = 0L; step < ii; step++)
            {
                var t = alap ? latest - step : earliest + step;
                if (t < earliest || t > latest) break;
                if (!Fits(kernel, table, op, t, ii)) continue;
                Reserve(kernel, table, op, t, ii);
                offsets[op] = t;
                placed[op] = true;
                found = true;
                break;
            }
            if (!found) return null;
        }
        // Shift so the earliest operation starts at offset 0; a uniform shift keeps the modulo table valid.
        var min = offsets.Length == 0 ? 0 : offsets.Min();
        for (var i = 0; i < n; i++) offsets[i] -= min;
        return offsets;
    }

    private static bool Fits(Problem kernel, int[,] table, int op, long t, long ii)
    {
        if (kernel.Durations[op] > ii && kernel.Demands[op].Length > 0) return false;
        foreach (var d in kernel.Demands[op])
            for (var c = 0L; c < kernel.Durations[op]; c++)
                if (table[d.Resource, (((t + c) % ii) + ii) % ii] + d.Amount > kernel.Capacities[d.Resource]) return false;
        return true;
    }

    private static void Reserve(Problem kernel, int[,] table, int op, long t, long ii)
    {
        foreach (var d in kernel.Demands[op])
            for (var c = 0L; c < kernel.Durations[op]; c++) table[d.Resource, (((t + c) % ii) + ii) % ii] += d.Amount;
    }
}
