namespace Sched.Compiler.Scheduling;

/// <summary>
/// The modulo reservation table of one initiation interval, kept as occupied intervals of [0, II) per resource rather than as a
/// cell per cycle, so an interval of millions of cycles costs what its operations cost. A check that finds a clash says how far
/// to move to get past it, so placement jumps from clash to clash instead of trying every cycle.
/// </summary>
internal sealed class ModuloTable(IReadOnlyList<int> capacities, long interval)
{
    private readonly List<(long Start, long End, int Amount)>[] _busy =
        capacities.Select(_ => new List<(long Start, long End, int Amount)>()).ToArray();

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
                    if (Overloaded(d.Resource, ps, pe, d.Amount) is { } over) return forward ? over.First - ps + 1 : pe - over.Last;
                    continue;
                }
                // Room for one at a time: the intervals are disjoint and sorted, so the first that reaches past ps is found by
                // bisection, and moving just past it (or just before it) is the least move that can fit.
                var i = FirstEndingAfter(list, ps);
                if (i < list.Count && list[i].Start < pe) return forward ? list[i].End - ps : pe - list[i].Start;
            }
        return null;
    }

    public void Reserve(IReadOnlyList<Demand> demands, long t, long duration)
    {
        if (duration == 0) return;
        foreach (var d in demands)
            foreach (var (ps, pe) in Pieces(t, duration))
            {
                var list = _busy[d.Resource];
                var at = list.BinarySearch((ps, pe, d.Amount), Comparer<(long Start, long End, int Amount)>.Create((x, y) =>
                    x.Start != y.Start ? x.Start.CompareTo(y.Start) : x.End.CompareTo(y.End)));
                list.Insert(at < 0 ? ~at : at, (ps, pe, d.Amount));
            }
    }

    private static int FirstEndingAfter(List<(long Start, long End, int Amount)> list, long t)
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
    /// The first and the last cycle of [from, to) where <paramref name="amount"/> more would exceed the resource's capacity, or
    /// null: an operation that still covers either after a smaller move is still over, so moving past them skips nothing.
    /// </summary>
    private (long First, long Last)? Overloaded(int resource, long from, long to, int amount)
    {
        var events = new List<(long At, int Delta)>();
        foreach (var b in _busy[resource])
            if (b.End > from && b.Start < to)
            {
                events.Add((Math.Max(b.Start, from), b.Amount));
                events.Add((Math.Min(b.End, to), -b.Amount));
            }
        events.Sort((x, y) => x.At.CompareTo(y.At));
        long? first = null, last = null;
        var load = 0;
        for (var e = 0; e < events.Count;)
        {
            var at = events[e].At;
            for (; e < events.Count && events[e].At == at; e++) load += events[e].Delta;
            var next = e < events.Count ? events[e].At : to;
            if (load + amount > capacities[resource] && next > at) { first ??= at; last = next - 1; }
        }
        return first is { } f ? (f, last!.Value) : null;
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
