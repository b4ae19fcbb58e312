namespace Sched.Compiler.Scheduling;

/// <summary>A demand of an operation on a resource for its whole duration.</summary>
public readonly record struct Demand(int Resource, int Amount);

/// <summary><c>start(To) ≥ start(From) + MinLag</c>.</summary>
public readonly record struct Dependence(int From, int To, long MinLag);

/// <summary>
/// A scheduling problem that knows nothing of tensors (as in CIRCT): operations with a duration, a latency
/// until their result is usable, and demands on renewable resources of integer capacity; dependences with
/// minimum lags. A solution is a start cycle per operation; <see cref="Verify"/> checks any solution.
/// </summary>
public sealed class Problem
{
    private readonly List<long> _durations = [];
    private readonly List<long> _latencies = [];
    private readonly List<Demand[]> _demands = [];
    private readonly List<Dependence> _dependences = [];

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

    public int AddOperation(long duration, long latency, params Demand[] demands)
    {
        _durations.Add(duration);
        _latencies.Add(latency);
        _demands.Add(demands);
        return _durations.Count - 1;
    }

    public void AddDependence(int from, int to, long minLag) => _dependences.Add(new Dependence(from, to, minLag));

    /// <summary>When the last result is usable: max over operations of start + duration + latency.</summary>
    public long Makespan(IReadOnlyList<long> starts)
    {
        var makespan = 0L;
        for (var i = 0; i < Count; i++) makespan = Math.Max(makespan, starts[i] + _durations[i] + _latencies[i]);
        return makespan;
    }

    /// <summary>Checks every rule and names the first broken one, or returns null when the solution is valid.</summary>
    public string? Verify(IReadOnlyList<long> starts)
    {
        if (starts.Count != Count) return $"the solution has {starts.Count} start times for {Count} operations";
        for (var i = 0; i < Count; i++)
            if (starts[i] < 0) return $"operation {i} starts at negative cycle {starts[i]}";
        foreach (var d in _dependences)
            if (starts[d.To] < starts[d.From] + d.MinLag)
                return $"operation {d.To} starts at {starts[d.To]}, before operation {d.From} at {starts[d.From]} + lag {d.MinLag}";
        // Sweep each resource's start and end events in time order; ends before starts at the same cycle.
        for (var r = 0; r < Capacities.Count; r++)
        {
            var events = new List<(long Time, int Delta)>();
            for (var i = 0; i < Count; i++)
                foreach (var demand in _demands[i])
                    if (demand.Resource == r && _durations[i] > 0)
                    {
                        events.Add((starts[i], demand.Amount));
                        events.Add((starts[i] + _durations[i], -demand.Amount));
                    }
            events.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Delta.CompareTo(b.Delta));
            var usage = 0;
            foreach (var (time, delta) in events)
            {
                usage += delta;
                if (usage > Capacities[r]) return $"resource {ResourceNames[r]} is used {usage} times at cycle {time}, above its capacity {Capacities[r]}";
            }
        }
        return null;
    }
}
