using Sched.Runtime.Targets.Kinds;

namespace Sched.Runtime.Verification;

/// <summary>
/// Which step feeds which, as the verifier replays a schedule, for its lower bound: a step that reads a tile from a unit's buffer,
/// from memory or after an earlier step of the same access depends on the step that provided it there. When several have by
/// then (a result reloaded onto the unit that computed it), the reader depends on the first only if every later one descends from
/// it (a short walk back over the chains); otherwise on none. From these chains come tails — the least time from a step's start to
/// the end — and with the heads the replay derives, <see cref="HeadBodyTail"/> bounds each resource's load between the work before
/// and after it.
/// </summary>
internal sealed class Chains
{
    /// <summary>Where a step finds its data: a unit's buffer, memory, or the previous step of an access.</summary>
    public enum Place { Buffer, Memory, Step }

    private const int Walk = 8;   // how far back a later provider is followed to find the first
    private readonly List<long> _heads = [], _durations = [], _afters = [];
    private readonly List<List<int>?> _feeds = [];
    private readonly Dictionary<(Place, int, int), List<int>> _providers = [];
    private readonly List<(int Step, int Resource, int Amount)> _holds = [];

    /// <summary>A new step of the replay; its head is set once its inputs are known.</summary>
    public int Add(long duration, long after)
    {
        _heads.Add(0);
        _durations.Add(duration);
        _afters.Add(after);
        _feeds.Add(null);
        return _heads.Count - 1;
    }

    public void SetHead(int step, long head) => _heads[step] = head;

    public void Provide(int step, Place place, int a, int b)
    {
        if (_providers.TryGetValue((place, a, b), out var list)) list.Add(step);
        else _providers[(place, a, b)] = [step];
    }

    public void Read(int step, Place place, int a, int b)
    {
        if (!_providers.TryGetValue((place, a, b), out var list) || list[0] >= step) return;
        for (var j = 1; j < list.Count && list[j] < step; j++)
            if (!Descends(list[j], list[0])) return;
        (_feeds[step] ??= []).Add(list[0]);
    }

    public void Hold(int step, int resource, int amount) => _holds.Add((step, resource, amount));

    /// <summary>A dependence the program makes, not the data (a phase's gate): <paramref name="step"/> follows the provider.</summary>
    public void Feed(int step, int provider) => (_feeds[step] ??= []).Add(provider);

    // Whether `step` is reached from `ancestor` by chains of at most Walk links.
    private bool Descends(int step, int ancestor)
    {
        var frontier = new List<int> { step };
        for (var depth = 0; depth < Walk && frontier.Count > 0; depth++)
        {
            var next = new List<int>();
            foreach (var s in frontier)
                foreach (var p in _feeds[s] ?? [])
                    if (p == ancestor) return true;
                    else if (p > ancestor) next.Add(p);
            frontier = next;
        }
        return false;
    }

    /// <summary>The best head–body–tail bound over the resources, and the resource (-1 when none is held).</summary>
    public (long Cycles, int Resource) Bound(IReadOnlyList<Resource> resources)
    {
        var n = _heads.Count;
        var tails = new long[n];
        for (var k = 0; k < n; k++) tails[k] = _durations[k] + _afters[k];
        // A provider precedes its readers in replay (cycle) order, so one backward sweep settles every tail.
        for (var k = n - 1; k >= 0; k--)
            foreach (var p in _feeds[k] ?? []) tails[p] = Math.Max(tails[p], _durations[p] + _afters[p] + tails[k]);
        var heads = _heads.ToArray();
        var held = new List<(int, int)>?[n];
        foreach (var (step, r, amount) in _holds) (held[step] ??= []).Add((r, amount));
        var (durations, afters, feeds) = (_durations.ToArray(), _afters.ToArray(), _feeds.ToArray());
        var capacities = resources.Select(r => r.Capacity).ToArray();
        FeedEnergy.Tighten(heads, tails, durations, afters, feeds, held, capacities);
        AncestorEnergy.Tighten(heads, tails, durations, afters, feeds, held, capacities);
        var uses = new SortedDictionary<int, List<Use>>();
        foreach (var (step, r, amount) in _holds)
            if (_durations[step] > 0)
                (uses.TryGetValue(r, out var list) ? list : uses[r] = []).Add(new Use(heads[step], _durations[step], amount,
                    tails[step] - _durations[step]));
        var (best, resource) = (0L, -1);
        foreach (var (r, list) in uses)
            if (HeadBodyTail.Bound(list, resources[r].Capacity) is var cycles && cycles > best) (best, resource) = (cycles, r);
        return (best, resource);
    }
}
