namespace Sched.Compiler.Scheduling;

/// <summary>A dependence that crosses iterations: <c>start(To, k + Distance) ≥ start(From, k) + MinLag</c>.</summary>
public readonly record struct CarriedDependence(int From, int To, int Distance, long MinLag);

/// <summary>A modulo schedule: iteration k of operation i starts at <c>Offsets[i] + k · Interval</c>.</summary>
public sealed record ModuloSchedule(long Interval, long ResMii, long RecMii, long[] Offsets);

/// <summary>
/// Modulo scheduling of a repeated step (software pipelining). The initiation interval starts at max(ResMII, RecMII) and grows by
/// steps that start at 1/64 of it and double after each failure; it is then bisected back between the last failure and the first
/// success, so a step of millions of cycles costs tens of placements, not one per cycle (feasibility is not strictly monotone in
/// the interval, so the bisection may stop a little above the smallest feasible one). Operations are placed by height into a
/// <see cref="ModuloTable"/> of intervals. An operation with a periodic window (a fibre tap) keeps its phase in every
/// iteration only if the interval is a multiple of its period, so then only such intervals are tried. A result is accepted only
/// when the unrolled schedule passes <see cref="Problem.Verify"/>.
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
        var period = kernel.WindowPeriod();
        if (period <= 0) return null;
        long Round(long ii) => (ii + period - 1) / period * period;
        var limit = Round(maxInterval > 0 ? maxInterval : Math.Max(total, Math.Max(resMii, recMii)) + 1);

        var height = Solver.Tails(kernel, new Graph(kernel));
        var order = Enumerable.Range(0, n).OrderByDescending(i => height[i]).ThenBy(i => i).ToArray();
        // One greedy pass first (cheap, and it leaves weight loads as late as their consumers allow); where it fails, iterative
        // modulo scheduling, which moves operations out of each other's way: evicting all a forced operation overlaps reaches
        // decode.sched's 139 (evicting only enough stops at 173), evicting only enough reaches 4,290 at d = 512 (all: 4,406).
        ModuloSchedule? Try(long ii)
        {
            var edges = new StepEdges(kernel, carried, ii);
            var placed = TryPlace(kernel, edges, ii, order) ?? IterativeModulo.Place(kernel, edges, ii, height, evictAll: true)
                ?? IterativeModulo.Place(kernel, edges, ii, height, evictAll: false);
            if (placed is null) return null;
            var result = new ModuloSchedule(ii, resMii, recMii, Shifted(kernel, placed));
            return Verify(kernel, carried, result, Needed(result)) is null ? result : null;
        }
        int Needed(ModuloSchedule m)
        {
            // Iterations further apart than the step's length never meet, so this many suffice to check all overlaps.
            var span = Enumerable.Range(0, n).Select(i => m.Offsets[i] + kernel.Durations[i] + kernel.Latencies[i]).DefaultIfEmpty(0).Max();
            return Math.Max(1, (int)Math.Min(iterations, span / m.Interval + 2 + carried.Select(c => c.Distance).DefaultIfEmpty(0).Max()));
        }

        // Steps that grow from 1/64 of the interval and double after each failure: few tries near the bound, few far from it.
        var failed = Round(Math.Max(resMii, recMii)) - period;
        ModuloSchedule? found = null;
        for (long ii = failed + period, step = Math.Max(period, ii / 64); ii <= limit; ii = Round(ii + step), step *= 2)
        {
            if ((found = Try(ii)) is not null) break;
            failed = ii;
        }
        if (found is null) return null;
        // Back down between the last interval that failed and the first that worked.
        while (found.Interval - failed > period)
        {
            var mid = Math.Max(failed + period, (failed + found.Interval) / 2 / period * period);
            if (mid >= found.Interval) break;
            if (Try(mid) is { } better) found = better; else failed = mid;
        }
        return found;
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
    /// then go as late as possible before them, so they may fall into the previous iteration (a prefetch). A clash moves the
    /// operation just past it; an operation that has moved a whole interval fits nowhere.
    /// </summary>
    private static long[]? TryPlace(Problem kernel, StepEdges edges, long ii, int[] order)
    {
        var n = kernel.Count;
        var table = new ModuloTable(kernel.Capacities, ii);
        var offsets = new long[n];
        var placed = new bool[n];
        var topo = Temporal.TopologicalOrder(n, new Graph(kernel)) ?? order;
        var deferred = StepEdges.WeightLoads(kernel);
        foreach (var op in topo.Where(i => !deferred[i]).Concat(topo.Where(i => deferred[i]).Reverse()))
        {
            var (earliest, latest) = edges.Bounds(op, offsets, placed);
            var alap = deferred[op];
            if (!alap && earliest == -StepEdges.Unbounded) earliest = 0;
            if (alap && latest == StepEdges.Unbounded) latest = 0;
            if (Place(kernel, table, op, earliest, latest, alap, ii) is not { } t) return null;
            offsets[op] = t;
            placed[op] = true;
        }
        return offsets;
    }

    /// <summary>
    /// The offsets shifted so the earliest operation starts near offset 0; a shift by whole periods keeps the table and every
    /// window valid.
    /// </summary>
    private static long[] Shifted(Problem kernel, long[] offsets)
    {
        var period = kernel.WindowPeriod();
        var min = offsets.Length == 0 ? 0 : offsets.Min();
        var shift = (long)Math.Floor((double)min / period) * period;
        return offsets.Select(o => o - shift).ToArray();
    }

    /// <summary>The offset in [earliest, latest] nearest the preferred end where the table has room and the window allows.</summary>
    private static long? Place(Problem kernel, ModuloTable table, int op, long earliest, long latest, bool alap, long ii)
    {
        var window = kernel.Windows.GetValueOrDefault(op, new Window(1, 0));
        var t = window.Align(alap ? latest : earliest, up: !alap);
        for (var moved = 0L; moved < ii && t >= earliest && t <= latest;)
        {
            var clash = table.Clash(kernel.Demands[op], t, kernel.Durations[op], forward: !alap);
            if (clash is null)
            {
                table.Reserve(op, kernel.Demands[op], t, kernel.Durations[op]);
                return t;
            }
            if (clash == long.MaxValue) return null;
            var next = window.Align(alap ? t - clash.Value : t + clash.Value, up: !alap);
            moved += Math.Abs(next - t);
            t = next;
        }
        return null;
    }
}
