namespace Sched.Compiler.Scheduling;

/// <summary>
/// The modulo reservation table of one initiation interval, kept as occupied intervals of [0, II) per resource rather than as a
/// cell per cycle, so an interval of millions of cycles costs what its operations cost. A check that finds a clash says how far
/// to move to get past it, so placement jumps from clash to clash instead of trying every cycle. Each interval remembers its
/// operation, so iterative modulo scheduling can take an operation out again and find who stands in another's way.
/// </summary>
internal sealed class ModuloTable(IReadOnlyList<int> capacities, long interval)
{
    private readonly List<(long Start, long End, int Amount, int Op)>[] _busy =
        capacities.Select(_ => new List<(long Start, long End, int Amount, int Op)>()).ToArray();

    /// <summary>
    /// Null when <paramref name="demands"/> for <paramref name="duration"/> cycles from <paramref name="t"/> fit; else the smallest
    /// move (forward when <paramref name="forward"/>, else backward, always ≥ 1) past the first clash found.
    /// </summary>
    public long? Clash(IReadOnlyList<Demand> demands, long t, long duration, bool forward)
    {
        if (demands.Count == 0 || duration == 0) return null;
        if (duration > interval) return long.MaxValue;   // it would overlap itself in the next iteration
        foreach (var d in demands)
            foreach (var (ps, pe) in Pieces(t, duration))
            {
                var list = _busy[d.Resource];
                // With room for one at a time the intervals are disjoint and sorted, so the first that reaches past ps is found by
                // bisection; otherwise every interval is looked at.
                if (capacities[d.Resource] > 1)
                {
                    if (Overloaded(d.Resource, ps, pe, d.Amount) is { } over) return forward ? over.RunEnd - ps : pe - over.RunStart;
                    continue;
                }
                // Room for one at a time: the intervals are disjoint and sorted, so the first that reaches past ps is found by
                // bisection, and moving just past it (or just before it) is the least move that can fit.
                var i = FirstEndingAfter(list, ps);
                if (i < list.Count && list[i].Start < pe) return forward ? list[i].End - ps : pe - list[i].Start;
            }
        return null;
    }

    public void Reserve(int op, IReadOnlyList<Demand> demands, long t, long duration)
    {
        if (duration == 0) return;
        foreach (var d in demands)
            foreach (var (ps, pe) in Pieces(t, duration))
            {
                var list = _busy[d.Resource];
                var at = list.BinarySearch((ps, pe, d.Amount, op), ByTime);
                list.Insert(at < 0 ? ~at : at, (ps, pe, d.Amount, op));
            }
    }

    /// <summary>Takes operation <paramref name="op"/>'s reservations out of the table again.</summary>
    public void Release(int op, IReadOnlyList<Demand> demands)
    {
        foreach (var d in demands) _busy[d.Resource].RemoveAll(b => b.Op == op);
    }

    /// <summary>The operations whose reservations on the resources <paramref name="demands"/> name overlap [t, t + duration).</summary>
    public SortedSet<int> Occupants(IReadOnlyList<Demand> demands, long t, long duration)
    {
        var found = new SortedSet<int>();
        if (duration == 0) return found;
        foreach (var d in demands)
            foreach (var (ps, pe) in Pieces(t, duration))
                foreach (var b in _busy[d.Resource])
                    if (b.Start < pe && b.End > ps) found.Add(b.Op);
        return found;
    }

    private static readonly Comparer<(long Start, long End, int Amount, int Op)> ByTime = Comparer<(long Start, long End, int Amount,
        int Op)>.Create((x, y) => x.Start != y.Start ? x.Start.CompareTo(y.Start) : x.End != y.End ? x.End.CompareTo(y.End)
        : x.Op.CompareTo(y.Op));

    private static int FirstEndingAfter(List<(long Start, long End, int Amount, int Op)> list, long t)
    {
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (list[mid].End > t) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    /// <summary>
    /// Where <paramref name="amount"/> more would exceed the resource's capacity somewhere in [from, to): the end of the overloaded
    /// run that holds its first such cycle and the start of the run that holds its last (runs may reach outside [from, to)), or
    /// null. An operation that still covers a cycle of a run is still over, so moving past a whole run skips nothing.
    /// </summary>
    private (long RunEnd, long RunStart)? Overloaded(int resource, long from, long to, int amount)
    {
        var events = new List<(long At, int Delta)>();
        foreach (var b in _busy[resource])
        {
            events.Add((b.Start, b.Amount));
            events.Add((b.End, -b.Amount));
        }
        events.Sort((x, y) => x.At.CompareTo(y.At));
        // Stretches of constant load over [0, II) where the amount does not fit, merged where they touch.
        var runs = new List<(long Start, long End)>();
        var load = 0;
        for (var e = 0; e < events.Count;)
        {
            var at = events[e].At;
            for (; e < events.Count && events[e].At == at; e++) load += events[e].Delta;
            var next = e < events.Count ? events[e].At : interval;
            if (load + amount <= capacities[resource] || next <= at) continue;
            if (runs.Count > 0 && runs[^1].End == at) runs[^1] = (runs[^1].Start, next); else runs.Add((at, next));
        }
        (long, long)? first = null, last = null;
        foreach (var (start, end) in runs)
            if (start < to && end > from) { first ??= (start, end); last = (start, end); }
        return first is { } f ? (f.Item2, last!.Value.Item1) : null;
    }

    /// <summary>[t, t + duration) folded into [0, II): one piece, or two where it wraps round.</summary>
    private IEnumerable<(long Start, long End)> Pieces(long t, long duration)
    {
        var start = ((t % interval) + interval) % interval;
        if (start + duration <= interval) { yield return (start, start + duration); yield break; }
        yield return (start, interval);
        yield return (0, start + duration - interval);
    }
}
