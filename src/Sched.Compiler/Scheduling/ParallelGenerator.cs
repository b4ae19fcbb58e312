namespace Sched.Compiler.Scheduling;

/// <summary>
/// Parallel (time-incrementing) schedule generation for large problems: walk decision times upward; at each,
/// start the ready operations in key order while their resources have room. Because time only moves forward,
/// a resource needs only its usage now, so each operation costs O(log n): operations blocked on a resource
/// wait in that resource's queue until it frees capacity. Minimum lags only (no windows, no maximum lags).
/// </summary>
internal sealed class ParallelGenerator(Problem problem, Graph graph)
{
    public long[] Run(IReadOnlyList<double> key)
    {
        var n = problem.Count;
        var starts = new long[n];
        var est = new long[n];
        var waiting = new int[n];
        for (var j = 0; j < n; j++) waiting[j] = graph.PredStart[j + 1] - graph.PredStart[j];
        var usage = new int[problem.Capacities.Count];
        var pending = new PriorityQueue<int, long>();                 // ready, but not before est
        var available = new PriorityQueue<int, (double, int)>();      // may start now, in key order
        var parked = new PriorityQueue<int, (double, int)>[usage.Length];
        for (var r = 0; r < parked.Length; r++) parked[r] = new PriorityQueue<int, (double, int)>();
        var releases = new PriorityQueue<int, long>();                // running operations by end time
        var reserved = new int[usage.Length];                         // capacity promised to woken operations
        var wokenOn = new int[n];
        Array.Fill(wokenOn, -1);
        var recheck = new List<int>();

        int DemandOn(int op, int resource)
        {
            foreach (var d in problem.Demands[op]) if (d.Resource == resource) return d.Amount;
            return 0;
        }

        // Wake parked operations only as far as the resource has room, so a release costs O(log n), not O(parked).
        void Wake(int r)
        {
            while (parked[r].TryPeek(out var p, out var pk) && usage[r] + reserved[r] + DemandOn(p, r) <= problem.Capacities[r])
            {
                parked[r].Dequeue();
                reserved[r] += DemandOn(p, r);
                wokenOn[p] = r;
                available.Enqueue(p, pk);
            }
        }
        for (var j = 0; j < n; j++)
            if (waiting[j] == 0) pending.Enqueue(j, 0);

        var done = 0;
        var now = 0L;
        while (done < n)
        {
            // Finish what ends by now, and wake operations parked on the resources it frees.
            while (releases.TryPeek(out var r, out var end) && end <= now)
            {
                releases.Dequeue();
                foreach (var d in problem.Demands[r])
                {
                    usage[d.Resource] -= d.Amount;
                    Wake(d.Resource);
                }
            }
            while (pending.TryPeek(out var p, out var at) && at <= now)
            {
                pending.Dequeue();
                available.Enqueue(p, (key[p], p));
            }
            while (true)
            {
                if (!available.TryDequeue(out var j, out var jk))
                {
                    // Woken operations that parked elsewhere left promised room unused: offer it again.
                    foreach (var r in recheck) Wake(r);
                    recheck.Clear();
                    if (!available.TryDequeue(out j, out jk)) break;
                }
                if (wokenOn[j] >= 0)
                {
                    reserved[wokenOn[j]] -= DemandOn(j, wokenOn[j]);
                    recheck.Add(wokenOn[j]);
                    wokenOn[j] = -1;
                }
                var blocked = -1;
                foreach (var d in problem.Demands[j])
                    if (usage[d.Resource] + d.Amount > problem.Capacities[d.Resource]) { blocked = d.Resource; break; }
                if (blocked >= 0)
                {
                    parked[blocked].Enqueue(j, jk);
                    continue;
                }
                starts[j] = now;
                done++;
                if (problem.Durations[j] > 0)
                {
                    foreach (var d in problem.Demands[j]) usage[d.Resource] += d.Amount;
                    releases.Enqueue(j, now + problem.Durations[j]);
                }
                for (var e = graph.SuccStart[j]; e < graph.SuccStart[j + 1]; e++)
                {
                    var k = graph.Succ[e];
                    est[k] = Math.Max(est[k], now + graph.SuccLag[e]);
                    if (--waiting[k] == 0)
                    {
                        if (est[k] <= now) available.Enqueue(k, (key[k], k));
                        else pending.Enqueue(k, est[k]);
                    }
                }
            }
            if (done == n) break;
            var next = long.MaxValue;
            if (releases.TryPeek(out _, out var nextEnd)) next = nextEnd;
            if (pending.TryPeek(out _, out var nextReady)) next = Math.Min(next, nextReady);
            if (next == long.MaxValue) throw new InvalidOperationException("parallel generation stalled: a cycle of dependences");
            now = next;
        }
        return starts;
    }
}
