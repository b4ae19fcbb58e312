using System.Diagnostics;

namespace Sched.Compiler.Scheduling;

/// <summary>
/// A complete search for small problems, used when the heuristic finds nothing: it finds a schedule, proves that none exists, or
/// gives up at its deadline. Start windows [lo, hi] come from all-pairs longest paths (so every time lag is propagated) within the
/// horizon Σ max(duration, largest outgoing lag), which bounds some feasible schedule whenever one exists; at every node they are
/// narrowed to a fixpoint of the time lags and the resources' timetables (the compulsory part of each operation, [hi, lo + d),
/// must fit beside the others; an operation is pushed off the stretches it cannot share), and at the fixpoint no stretch may hold
/// more work than its capacity (energetic overload). Exclusive pairs (two operations that together exceed a resource) must run
/// one after the other; an order the windows or lags rule out makes the other a new lag. Branches first order the exclusive pair
/// with the least slack (the looser order first), then, with every pair ordered, fix the operation with the narrowest window at
/// its earliest start, else postpone it. Exhausting the tree proves infeasibility. Ordering pairs first proved the one unsat
/// instance of the public RCPSP/max sets that start times alone did not (20 jobs, PSP37: 0.7 s; not in 30 s before).
/// </summary>
internal static class ExactSearch
{
    public enum Result { Found, Infeasible, GaveUp }

    private const long None = long.MinValue / 4;

    /// <param name="nodeBudget">nodes before giving up: with it, the same problem always gets the same answer</param>
    /// <param name="timeLimitMs">a wall-clock cap as well, for benchmarks run against the clock</param>
    /// <param name="deadline">when given, only schedules whose makespan is at most this count: Infeasible proves none is</param>
    public static Result Run(Problem problem, long nodeBudget, long timeLimitMs, out long[]? starts, out long nodesUsed,
        long? deadline = null)
    {
        (starts, nodesUsed) = (null, 0);
        var clock = Stopwatch.StartNew();   // the all-pairs longest paths count against the cap too
        var n = problem.Count;
        var dist = LongestPaths(problem);
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
        var hi = Enumerable.Repeat(horizon, n).ToArray();
        if (deadline is { } end)
            for (var i = 0; i < n; i++) hi[i] = Math.Min(hi[i], end - problem.Durations[i] - problem.Latencies[i]);
        // An operation no later than every other can start at 0: any schedule shifts left until it does (lags are relative, and
        // there is no window's phase to keep). Its maximum lags then become deadlines the resources' reasoning can use.
        if (problem.Windows.Count == 0)
            for (var s = 0; s < n; s++)
                if (Enumerable.Range(0, n).All(i => dist[s, i] >= 0)) { hi[s] = 0; break; }
        var gaveUp = false;
        var nodes = 0L;
        var windows = new Windows(problem, dist, lo, hi, () => clock.ElapsedMilliseconds > timeLimitMs);
        if (!windows.Propagate()) return windows.TimedOut ? Result.GaveUp : Result.Infeasible;
        var found = Search();
        nodesUsed = nodes;
        if (found) { starts = (long[])lo.Clone(); return Result.Found; }
        return gaveUp ? Result.GaveUp : Result.Infeasible;

        bool Search()
        {
            if (++nodes > nodeBudget || clock.ElapsedMilliseconds > timeLimitMs) { gaveUp = true; return false; }
            if (windows.Unordered() is { } pair) return Order(pair.First, pair.Second) || !gaveUp && Order(pair.Second, pair.First);
            var j = -1;
            for (var i = 0; i < n; i++)
                if (hi[i] > lo[i] && (j < 0 || hi[i] - lo[i] < hi[j] - lo[j] || hi[i] - lo[i] == hi[j] - lo[j] && lo[i] < lo[j])) j = i;
            if (j < 0) return problem.Verify(lo, checkMemory: false) is null && (deadline is not { } d || problem.Makespan(lo) <= d);
            var saved = Save();
            while (true)
            {
                var t = lo[j];
                hi[j] = t;   // fix j at its earliest start
                if (windows.Propagate() && Search()) return true;
                if (windows.TimedOut) gaveUp = true;
                Restore(saved);
                if (gaveUp || t >= hi[j]) return false;
                lo[j] = t + 1;   // or start it later
                if (!windows.Propagate()) { gaveUp |= windows.TimedOut; return false; }
                saved = Save();
            }
        }

        // One branch of an exclusive pair: first ends before second starts; the windows and lags as they were afterwards.
        bool Order(int first, int second)
        {
            var saved = Save();
            var found = windows.Precede(first, second) && windows.Propagate() && Search();
            if (windows.TimedOut) gaveUp = true;
            if (!found) Restore(saved);
            return found;
        }

        // The windows and longest paths a branch starts from, to return to when it fails.
        (long[] Lo, long[] Hi, long[,] Dist) Save() => ((long[])lo.Clone(), (long[])hi.Clone(), (long[,])dist.Clone());

        void Restore((long[] Lo, long[] Hi, long[,] Dist) saved)
        {
            Array.Copy(saved.Lo, lo, n);
            Array.Copy(saved.Hi, hi, n);
            Array.Copy(saved.Dist, dist, dist.Length);
        }
    }

    /// <summary>Longest paths between all pairs under the minimum lags (None where no path): Floyd–Warshall.</summary>
    private static long[,] LongestPaths(Problem problem)
    {
        var n = problem.Count;
        var dist = new long[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++) dist[i, j] = i == j ? 0 : None;
        foreach (var d in problem.Dependences) dist[d.From, d.To] = Math.Max(dist[d.From, d.To], d.MinLag);
        for (var k = 0; k < n; k++)
            for (var i = 0; i < n; i++)
                if (dist[i, k] != None)
                    for (var j = 0; j < n; j++)
                        if (dist[k, j] != None && dist[i, k] + dist[k, j] > dist[i, j]) dist[i, j] = dist[i, k] + dist[k, j];
        return dist;
    }

    /// <summary>The start windows and their propagation: time lags, then each resource's timetable, to a fixpoint.</summary>
    private sealed class Windows(Problem problem, long[,] dist, long[] lo, long[] hi, Func<bool> expired)
    {
        private readonly int _n = problem.Count;

        /// <summary>Whether the last propagation stopped at the time cap (its false then proves nothing).</summary>
        public bool TimedOut { get; private set; }

        // Pairs of operations that cannot run at the same time on some resource: one must end before the other starts.
        private readonly List<(int A, int B)> _exclusive = Exclusive(problem);

        public bool Propagate()
        {
            for (var round = 0; round < 64; round++)
            {
                // A root propagation of a large problem can take tens of milliseconds: the cap is checked before each step.
                if (expired()) return !(TimedOut = true);
                if (!Temporal()) return false;
                if (Timetable() is not { } changed) return false;
                if (expired()) return !(TimedOut = true);
                if (Ordering() is not { } ordered) return false;
                // At the fixpoint, the stretches' energy (it moves no window, so once suffices).
                if (!changed && !ordered) return !Overloaded();
            }
            return Temporal();
        }

        private static List<(int A, int B)> Exclusive(Problem problem)
        {
            var pairs = new List<(int, int)>();
            for (var a = 0; a < problem.Count; a++)
                for (var b = a + 1; b < problem.Count; b++)
                    if (problem.Durations[a] > 0 && problem.Durations[b] > 0 && problem.Demands[a].Any(x =>
                            problem.Demands[b].Any(y => y.Resource == x.Resource && x.Amount + y.Amount > problem.Capacities[x.Resource])))
                        pairs.Add((a, b));
            return pairs;
        }

        /// <summary>
        /// For each exclusive pair, the orders the lags and windows still allow: neither is a contradiction; one is a new minimum
        /// lag (the first's duration), closed into the longest paths. Null on a contradiction, else whether a lag was added.
        /// </summary>
        private bool? Ordering()
        {
            var added = false;
            foreach (var (a, b) in _exclusive)
            {
                bool CanPrecede(int x, int y) =>
                    lo[x] + problem.Durations[x] <= hi[y] && (dist[y, x] == None || problem.Durations[x] <= -dist[y, x]);
                var (ab, ba) = (CanPrecede(a, b), CanPrecede(b, a));
                if (!ab && !ba) return null;
                if (ab && ba) continue;
                var (first, second) = ab ? (a, b) : (b, a);
                if (dist[first, second] >= problem.Durations[first]) continue;
                if (!AddLag(first, second, problem.Durations[first])) return null;
                added = true;
                // Each new lag closes the longest paths, O(n²): a round that adds many can take milliseconds.
                if (expired()) { TimedOut = true; return null; }
            }
            return added;
        }

        /// <summary>
        /// The exclusive pair whose tighter order leaves the least slack among those the lags do not yet order, the looser
        /// order first; null when every pair is ordered.
        /// </summary>
        public (int First, int Second)? Unordered()
        {
            (int, int)? best = null;
            var bestSlack = long.MaxValue;
            foreach (var (a, b) in _exclusive)
            {
                if (dist[a, b] >= problem.Durations[a] || dist[b, a] >= problem.Durations[b]) continue;
                var (ab, ba) = (hi[b] - lo[a] - problem.Durations[a], hi[a] - lo[b] - problem.Durations[b]);
                if (Math.Min(ab, ba) >= bestSlack) continue;
                bestSlack = Math.Min(ab, ba);
                best = ab >= ba ? (a, b) : (b, a);
            }
            return best;
        }

        /// <summary>First ends before second starts, closed into the longest paths; false if that closes a positive cycle.</summary>
        public bool Precede(int first, int second) => AddLag(first, second, problem.Durations[first]);

        /// <summary>start(b) ≥ start(a) + lag, closed into every longest path through it; false if it closes a positive cycle.</summary>
        private bool AddLag(int a, int b, long lag)
        {
            for (var x = 0; x < _n; x++)
            {
                if (dist[x, a] == None) continue;
                for (var y = 0; y < _n; y++)
                    if (dist[b, y] != None && dist[x, a] + lag + dist[b, y] > dist[x, y]) dist[x, y] = dist[x, a] + lag + dist[b, y];
            }
            for (var x = 0; x < _n; x++) if (dist[x, x] > 0) return false;
            return true;
        }

        private bool Temporal()
        {
            for (var j = 0; j < _n; j++)
                for (var i = 0; i < _n; i++)
                {
                    if (i == j) continue;
                    if (dist[j, i] != None && lo[j] + dist[j, i] > lo[i]) lo[i] = lo[j] + dist[j, i];
                    if (dist[i, j] != None && hi[j] - dist[i, j] < hi[i]) hi[i] = hi[j] - dist[i, j];
                }
            for (var i = 0; i < _n; i++) if (lo[i] > hi[i]) return false;
            return true;
        }

        /// <summary>Null when a resource is over its capacity; otherwise whether a window moved.</summary>
        private bool? Timetable()
        {
            var changed = false;
            for (var r = 0; r < _users.Length; r++)
            {
                var users = _users[r];
                var capacity = problem.Capacities[r];
                if (!Profile(users, capacity)) return null;
                if (_segments.Count == 0) continue;
                foreach (var (j, a) in users)
                {
                    var d = problem.Durations[j];
                    var hasPart = hi[j] < lo[j] + d;
                    if (hi[j] == lo[j] && hasPart) continue;
                    var (partFrom, partTo) = (hi[j], lo[j] + d);
                    // j may not cover any cycle where the others' compulsory parts leave less than it needs.
                    bool Over((long From, long To, int Load) s) =>
                        s.Load - (hasPart && s.From >= partFrom && s.To <= partTo ? a : 0) + a > capacity;
                    for (var k = 0; k < _segments.Count && lo[j] <= hi[j]; k++)
                        if (_segments[k].From < lo[j] + d && _segments[k].To > lo[j] && Over(_segments[k]))
                        {
                            lo[j] = _segments[k].To;
                            changed = true;
                        }
                    for (var k = _segments.Count - 1; k >= 0 && lo[j] <= hi[j]; k--)
                        if (_segments[k].From < hi[j] + d && _segments[k].To > hi[j] && Over(_segments[k]))
                        {
                            hi[j] = _segments[k].From - d;
                            changed = true;
                        }
                    if (lo[j] > hi[j]) return null;
                }
            }
            return changed;
        }

        /// <summary>
        /// Whether the operations that must lie wholly inside some stretch [lo of one, hi + d of another) need more of a resource
        /// than the stretch holds (capacity × length): the overload check of energetic reasoning, O(n²) a resource with the users
        /// kept in order of their latest end. It proves what orders alone take exponentially long to: k operations that exclude
        /// each other in a window too short for them all.
        /// </summary>
        private bool Overloaded()
        {
            for (var r = 0; r < _users.Length; r++)
            {
                var (users, capacity) = (_users[r], problem.Capacities[r]);
                if (users.Length < 2) continue;
                _byEnd.Clear();
                foreach (var (i, a) in users) _byEnd.Add((hi[i] + problem.Durations[i], i, a));
                _byEnd.Sort();
                foreach (var (i, _) in users)
                {
                    var (from, energy) = (lo[i], 0L);
                    foreach (var (end, k, a) in _byEnd)
                    {
                        if (end <= from || lo[k] < from) continue;
                        energy += a * problem.Durations[k];
                        if (energy > capacity * (end - from)) return true;
                    }
                }
            }
            return false;
        }

        /// <summary>
        /// The compulsory parts [hi, lo + d) of a resource's users as stretches of constant positive load, in time order, built
        /// once a resource and round (the check of each user subtracts its own part); false when one is over the capacity.
        /// </summary>
        private bool Profile((int Op, int Amount)[] users, int capacity)
        {
            _events.Clear();
            _segments.Clear();
            foreach (var (i, a) in users)
                if (hi[i] < lo[i] + problem.Durations[i]) { _events.Add((hi[i], a)); _events.Add((lo[i] + problem.Durations[i], -a)); }
            _events.Sort((x, y) => x.At.CompareTo(y.At));
            var load = 0;
            for (var e = 0; e < _events.Count;)
            {
                var at = _events[e].At;
                for (; e < _events.Count && _events[e].At == at; e++) load += _events[e].Delta;
                if (load > capacity) return false;
                if (load > 0 && e < _events.Count) _segments.Add((at, _events[e].At, load));
            }
            return true;
        }

        // Each resource's users with their whole demand on it, and scratch lists reused by every propagation.
        private readonly (int Op, int Amount)[][] _users = Enumerable.Range(0, problem.Capacities.Count)
            .Select(r => Enumerable.Range(0, problem.Count)
                .Select(i => (Op: i, Amount: problem.Demands[i].Where(d => d.Resource == r).Sum(d => d.Amount)))
                .Where(u => problem.Durations[u.Op] > 0 && u.Amount > 0).ToArray())
            .ToArray();
        private readonly List<(long At, int Delta)> _events = [];
        private readonly List<(long End, int Op, int Amount)> _byEnd = [];
        private readonly List<(long From, long To, int Load)> _segments = [];
    }
}
