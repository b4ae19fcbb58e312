namespace Sched.Compiler.Scheduling;

/// <summary>
/// Serial schedule generation: repeatedly take the eligible operation with the smallest key and start it at
/// the earliest cycle its scheduled predecessors, its window and its resources allow. Maximum lags (negative
/// lags) are kept by unscheduling: when placing j breaks a lag towards an already scheduled operation, that
/// operation is taken out and must start later. A bounded number of such steps keeps a pass finite.
/// </summary>
internal sealed class SerialGenerator
{
    private readonly Problem _problem;
    private readonly Graph _graph;
    private readonly long[] _earliest;   // temporal earliest starts, a floor for every pass
    private readonly Window?[] _windows;

    public SerialGenerator(Problem problem, Graph graph, long[] earliest)
    {
        _problem = problem;
        _graph = graph;
        _earliest = earliest;
        _windows = new Window?[problem.Count];
        foreach (var (op, w) in problem.Windows) _windows[op] = w;
    }

    /// <summary>Starts for every operation, or null when the unscheduling budget ran out.</summary>
    public long[]? Run(IReadOnlyList<double> key)
    {
        var n = _problem.Count;
        var profiles = new ResourceProfiles(_problem.Capacities);
        var starts = new long[n];
        var scheduled = new bool[n];
        var floor = (long[])_earliest.Clone();
        // Eligibility counts predecessors over non-negative lags only: maximum lags point backwards.
        var waiting = new int[n];
        for (var j = 0; j < n; j++)
            for (var e = _graph.PredStart[j]; e < _graph.PredStart[j + 1]; e++)
                if (_graph.PredLag[e] >= 0 && _graph.Pred[e] != j) waiting[j]++;
        var ready = new PriorityQueue<int, (double, int)>();
        for (var j = 0; j < n; j++)
            if (waiting[j] == 0) ready.Enqueue(j, (key[j], j));
        var left = n;
        var budget = _problem.HasNegativeLags ? 50L * n + 1000 : 0;

        while (left > 0)
        {
            int j;
            if (!ready.TryDequeue(out j, out _)) j = FirstUnscheduled(scheduled, floor);
            else if (scheduled[j] || waiting[j] != 0) continue;

            var est = floor[j];
            for (var e = _graph.PredStart[j]; e < _graph.PredStart[j + 1]; e++)
                if (scheduled[_graph.Pred[e]]) est = Math.Max(est, starts[_graph.Pred[e]] + _graph.PredLag[e]);
            var t = Fit(profiles, j, est);
            Place(profiles, j, t, +1);
            starts[j] = t;
            scheduled[j] = true;
            left--;
            for (var e = _graph.SuccStart[j]; e < _graph.SuccStart[j + 1]; e++)
            {
                var k = _graph.Succ[e];
                if (_graph.SuccLag[e] >= 0 && k != j && --waiting[k] == 0 && !scheduled[k]) ready.Enqueue(k, (key[k], k));
            }
            // Any scheduled successor now too early (a maximum lag, or a min lag after an earlier unscheduling) moves out.
            for (var e = _graph.SuccStart[j]; e < _graph.SuccStart[j + 1]; e++)
            {
                var k = _graph.Succ[e];
                if (k == j || !scheduled[k] || starts[k] >= t + _graph.SuccLag[e]) continue;
                if (--budget < 0) return null;
                Unschedule(profiles, k, starts, scheduled, waiting, ready, key);
                floor[k] = Math.Max(floor[k], t + _graph.SuccLag[e]);
                left++;
            }
        }
        return starts;
    }

    private void Unschedule(ResourceProfiles profiles, int k, long[] starts, bool[] scheduled, int[] waiting,
        PriorityQueue<int, (double, int)> ready, IReadOnlyList<double> key)
    {
        Place(profiles, k, starts[k], -1);
        scheduled[k] = false;
        for (var e = _graph.SuccStart[k]; e < _graph.SuccStart[k + 1]; e++)
            if (_graph.SuccLag[e] >= 0 && _graph.Succ[e] != k) waiting[_graph.Succ[e]]++;
        if (waiting[k] == 0) ready.Enqueue(k, (key[k], k));
    }

    private static int FirstUnscheduled(bool[] scheduled, long[] floor)
    {
        // Only reached when zero-lag cycles leave no operation with all predecessors placed.
        var best = -1;
        for (var i = 0; i < scheduled.Length; i++)
            if (!scheduled[i] && (best < 0 || floor[i] < floor[best])) best = i;
        return best;
    }

    private long Fit(ResourceProfiles profiles, int op, long earliest)
    {
        var demands = _problem.Demands[op];
        var duration = _problem.Durations[op];
        var window = _windows[op];
        if (window is null && demands.Length == 1) return profiles[demands[0].Resource].EarliestFit(earliest, duration, demands[0].Amount);
        // Move forward until every demanded resource has room at one start that also lies on the window.
        var t = window is { } w0 ? w0.Align(earliest, up: true) : earliest;
        while (true)
        {
            var candidate = t;
            foreach (var d in demands) candidate = Math.Max(candidate, profiles[d.Resource].EarliestFit(candidate, duration, d.Amount));
            if (window is { } w) candidate = w.Align(candidate, up: true);
            if (candidate == t) return t;
            t = candidate;
        }
    }

    private void Place(ResourceProfiles profiles, int op, long start, int sign)
    {
        foreach (var d in _problem.Demands[op]) profiles[d.Resource].Book(start, _problem.Durations[op], sign * d.Amount);
    }
}
