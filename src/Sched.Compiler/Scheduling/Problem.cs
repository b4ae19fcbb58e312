namespace Sched.Compiler.Scheduling;

/// <summary>A demand of an operation on a resource for its whole duration.</summary>
public readonly record struct Demand(int Resource, int Amount);

/// <summary><c>start(To) ≥ start(From) + MinLag</c>; a negative lag is a maximum lag in the other direction.</summary>
public readonly record struct Dependence(int From, int To, long MinLag);

/// <summary>Bytes an operation's result holds in a memory from the operation's start until its last reader ends.</summary>
public readonly record struct Footprint(int Operation, int Memory, long Bytes, int[] Readers);

/// <summary><c>start ≡ Phase (mod Period)</c>: the operation may only start when its slot comes round (a fibre tap).</summary>
public readonly record struct Window(long Period, long Phase)
{
    /// <summary>The nearest start at or after (<paramref name="up"/>) or at or before <paramref name="t"/> in the window's phase.</summary>
    public long Align(long t, bool up)
    {
        if (Period <= 1) return t;
        var r = ((t - Phase) % Period + Period) % Period;
        return r == 0 ? t : up ? t + Period - r : t - r;
    }
}

/// <summary>
/// A scheduling problem that knows nothing of tensors (as in CIRCT), close to RCPSP/max: operations with a
/// duration, a latency until their result is usable, demands on renewable resources of integer capacity and
/// optional periodic windows; dependences with minimum lags (maximum lags as negative lags backwards).
/// A solution is a start cycle per operation; <see cref="Verify"/> checks any solution and names the first broken rule.
/// </summary>
public sealed class Problem
{
    private readonly List<long> _durations = [];
    private readonly List<long> _latencies = [];
    private readonly List<Demand[]> _demands = [];
    private readonly List<Dependence> _dependences = [];
    private readonly Dictionary<int, Window> _windows = [];
    private readonly List<Footprint> _footprints = [];
    private readonly List<(string Name, long Capacity)> _memories = [];

    public Problem(IReadOnlyList<string> resourceNames, IReadOnlyList<int> capacities)
    {
        ResourceNames = resourceNames;
        Capacities = capacities;
    }

    public IReadOnlyList<string> ResourceNames { get; }
    public IReadOnlyList<int> Capacities { get; }
    public int Count => _durations.Count;
    public IReadOnlyList<long> Durations => _durations;
    public IReadOnlyList<long> Latencies => _latencies;
    public IReadOnlyList<Demand[]> Demands => _demands;
    public IReadOnlyList<Dependence> Dependences => _dependences;
    public IReadOnlyDictionary<int, Window> Windows => _windows;
    public bool HasNegativeLags { get; private set; }
    public IReadOnlyList<Footprint> Footprints => _footprints;
    public IReadOnlyList<(string Name, long Capacity)> Memories => _memories;

    public int AddMemory(string name, long capacity)
    {
        _memories.Add((name, capacity));
        return _memories.Count - 1;
    }

    /// <summary>
    /// The result of <paramref name="op"/> holds <paramref name="bytes"/> of <paramref name="memory"/> until its readers end.
    /// </summary>
    public void AddFootprint(int op, int memory, long bytes, params int[] readers) => _footprints.Add(new Footprint(op, memory, bytes,
        readers));

    public int AddOperation(long duration, long latency, params Demand[] demands)
    {
        _durations.Add(duration);
        _latencies.Add(latency);
        _demands.Add(demands);
        return _durations.Count - 1;
    }

    public void AddDependence(int from, int to, long minLag)
    {
        _dependences.Add(new Dependence(from, to, minLag));
        if (minLag < 0) HasNegativeLags = true;
    }

    /// <summary><c>start(to) ≤ start(from) + maxLag</c>.</summary>
    public void AddMaxLag(int from, int to, long maxLag) => AddDependence(to, from, -maxLag);

    public void SetWindow(int op, long period, long phase) => _windows[op] = new Window(period, ((phase % period) + period) % period);

    /// <summary>
    /// The least common multiple of the windows' periods (1 without windows): a shift by a multiple of it keeps every window's
    /// phase. -1 when it would overflow.
    /// </summary>
    public long WindowPeriod()
    {
        var period = 1L;
        foreach (var w in _windows.Values)
        {
            period = period / Gcd(period, w.Period) * w.Period;
            if (period > long.MaxValue / 1024) return -1;
        }
        return period;
    }

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);

    /// <summary>When the last result is usable: max over operations of start + duration + latency.</summary>
    public long Makespan(IReadOnlyList<long> starts)
    {
        var makespan = 0L;
        for (var i = 0; i < Count; i++) makespan = Math.Max(makespan, starts[i] + _durations[i] + _latencies[i]);
        return makespan;
    }

    /// <summary>Live bytes per memory never exceed its capacity: a sweep over footprint start and end events.</summary>
    private string? CheckFootprints(IReadOnlyList<long> starts)
    {
        foreach (var group in _footprints.GroupBy(f => f.Memory))
        {
            var events = new List<(long Time, long Delta)>();
            foreach (var f in group)
            {
                var end = starts[f.Operation] + _durations[f.Operation];
                foreach (var r in f.Readers) end = Math.Max(end, starts[r] + _durations[r]);
                events.Add((starts[f.Operation], f.Bytes));
                events.Add((end, -f.Bytes));
            }
            events.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Delta.CompareTo(b.Delta));
            var live = 0L;
            var (name, capacity) = _memories[group.Key];
            foreach (var (time, delta) in events)
            {
                live += delta;
                if (live > capacity) return $"memory {name} holds {live} B at cycle {time}, above its capacity {capacity} B";
            }
        }
        return null;
    }

    /// <summary>Checks every rule and names the first broken one, or returns null when the solution is valid. O(n log n).</summary>
    /// <param name="checkMemory">false for solvers that leave memory to a later allocator.</param>
    public string? Verify(IReadOnlyList<long> starts, bool checkMemory = true)
    {
        if (starts.Count != Count) return $"the solution has {starts.Count} start times for {Count} operations";
        for (var i = 0; i < Count; i++)
            if (starts[i] < 0) return $"operation {i} starts at negative cycle {starts[i]}";
        foreach (var d in _dependences)
            if (starts[d.To] < starts[d.From] + d.MinLag)
                return d.MinLag >= 0
                    ? $"operation {d.To} starts at {starts[d.To]}, before operation {d.From} at {starts[d.From]} + lag {d.MinLag}"
                    : $"operation {d.From} starts at {starts[d.From]}, more than {-d.MinLag} after operation {d.To} at {starts[d.To]}";
        foreach (var (op, w) in _windows)
            if (starts[op] % w.Period != w.Phase)
                return $"operation {op} starts at {starts[op]}, off its window ≡ {w.Phase} (mod {w.Period})";

        if (checkMemory && CheckFootprints(starts) is { } full) return full;

        // Bucket start and end events by resource (counted first, so each bucket is one array), then sweep each bucket in time
        // order, ends before starts at one cycle: by time, then by amount.
        var counts = new int[Capacities.Count + 1];
        for (var i = 0; i < Count; i++)
            foreach (var demand in _demands[i])
            {
                if (demand.Resource < 0 || demand.Resource >= Capacities.Count)
                    return $"operation {i} demands resource #{demand.Resource}, which does not exist";
                if (_durations[i] > 0 && demand.Amount != 0) counts[demand.Resource + 1] += 2;
            }
        for (var r = 0; r < Capacities.Count; r++) counts[r + 1] += counts[r];
        var times = new long[counts[^1]];
        var deltas = new int[counts[^1]];
        var fill = (int[])counts.Clone();
        for (var i = 0; i < Count; i++)
            foreach (var demand in _demands[i])
            {
                if (_durations[i] <= 0 || demand.Amount == 0) continue;
                var at = fill[demand.Resource];
                (times[at], deltas[at], times[at + 1], deltas[at + 1]) = (starts[i], demand.Amount, starts[i] + _durations[i],
                    -demand.Amount);
                fill[demand.Resource] += 2;
            }
        for (var r = 0; r < Capacities.Count; r++)
        {
            var (from, to) = (counts[r], counts[r + 1]);
            PairSort.Sort(times, deltas, from, to - from);
            var usage = 0;
            for (var e = from; e < to; e++)
            {
                usage += deltas[e];
                if (usage > Capacities[r])
                    return $"resource {ResourceNames[r]} is used {usage} times at cycle {times[e]}, above its capacity {Capacities[r]}";
            }
        }
        return null;
    }
}
