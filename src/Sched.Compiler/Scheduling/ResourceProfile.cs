namespace Sched.Compiler.Scheduling;

/// <summary>
/// The usage of one resource over time as a step function: usage[i] holds from times[i] to times[i+1].
/// Serial schedule generation asks it for the earliest start with room, then books (or releases) the interval.
/// Neighbouring segments of equal usage are merged, so a packed stretch is one segment to skip. The breakpoints are kept in
/// chunks of at most 256, so a booking in the middle of a long profile shifts one chunk, not everything after it (at 10^6
/// operations one list per resource spent 0.5 s moving memory).
/// </summary>
internal sealed class ResourceProfile(int capacity)
{
    private const int ChunkSize = 256;

    private sealed class Chunk
    {
        public readonly long[] Times = new long[ChunkSize];
        public readonly int[] Usage = new int[ChunkSize];
        public int Count;
    }

    // Breakpoints in time order across the chunks; the first is at time 0 and never removed.
    private readonly List<Chunk> _chunks = [new Chunk { Count = 1 }];
    // For a demand and a duration, a time before which it fits nowhere. Booking only fills the profile, so it stays true until
    // something is released; it spares a weight load ready at 0 the scan over everything booked before its gap.
    private readonly Dictionary<(int Amount, long Duration), long> _noFitBefore = [];

    public int Capacity => capacity;

    /// <summary>
    /// The earliest t ≥ <paramref name="earliest"/> where <paramref name="amount"/> fits for <paramref name="duration"/> cycles.
    /// </summary>
    public long EarliestFit(long earliest, long duration, int amount)
    {
        if (amount > capacity) throw new ArgumentOutOfRangeException(nameof(amount), "a demand above the capacity never fits");
        if (amount <= 0 || duration <= 0) return earliest;
        var known = _noFitBefore.GetValueOrDefault((amount, duration));
        var fit = Scan(Math.Max(earliest, known), duration, amount);
        if (earliest <= known) _noFitBefore[(amount, duration)] = fit;   // nothing before known, nor between it and fit
        return fit;
    }

    private long Scan(long earliest, long duration, int amount)
    {
        var t = earliest;
        var at = Segment(t);
        while (true)
        {
            var fits = true;
            for (var p = at; p.C < _chunks.Count && Time(p) < t + duration; p = Next(p))
                if (_chunks[p.C].Usage[p.I] + amount > capacity)
                {
                    // Skip past the full segment and try again from where it ends (the last segment is empty, so one follows).
                    fits = false;
                    at = Next(p);
                    t = Time(at);
                    break;
                }
            if (fits) return t;
        }
    }

    /// <summary>True when <paramref name="amount"/> fits over [start, start + duration).</summary>
    public bool Fits(long start, long duration, int amount) => EarliestFit(start, duration, amount) == start;

    public void Book(long start, long duration, int amount)
    {
        if (duration <= 0 || amount == 0) return;
        if (amount < 0) _noFitBefore.Clear();   // released room may fit what did not
        // One search, then walks: an operation covers few segments. The split at the end may move the start's breakpoint to
        // another chunk, so it is found again walking back.
        var first = Split(Segment(start), start);
        var last = Split(Walk(first, start + duration), start + duration);
        for (first = last; Time(first) != start; first = Previous(first)) { }
        for (var p = first; p != last; p = Next(p)) _chunks[p.C].Usage[p.I] += amount;
        // Merge equal neighbours at both ends of the changed stretch (the end first: removing it leaves the start in place).
        if (Usage(last) == Usage(Previous(last))) Remove(last);
        if (first != (0, 0) && Usage(first) == Usage(Previous(first))) Remove(first);
    }

    public void Release(long start, long duration, int amount) => Book(start, duration, -amount);

    private long Time((int C, int I) p) => _chunks[p.C].Times[p.I];

    private int Usage((int C, int I) p) => _chunks[p.C].Usage[p.I];

    private (int C, int I) Next((int C, int I) p) => p.I + 1 < _chunks[p.C].Count ? (p.C, p.I + 1) : (p.C + 1, 0);

    private (int C, int I) Previous((int C, int I) p) => p.I > 0 ? (p.C, p.I - 1) : (p.C - 1, _chunks[p.C - 1].Count - 1);

    /// <summary>The breakpoint at or before t: the last chunk starting at or before it, then a search inside.</summary>
    private (int C, int I) Segment(long t)
    {
        var (lo, hi) = (0, _chunks.Count - 1);
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_chunks[mid].Times[0] <= t) lo = mid;
            else hi = mid - 1;
        }
        var chunk = _chunks[lo];
        var i = Array.BinarySearch(chunk.Times, 0, chunk.Count, t);
        return (lo, i >= 0 ? i : ~i - 1);
    }

    /// <summary>The breakpoint at or before t, walking forward from one at or before it.</summary>
    private (int C, int I) Walk((int C, int I) p, long t)
    {
        for (var next = Next(p); next.C < _chunks.Count && Time(next) <= t; next = Next(next)) p = next;
        return p;
    }

    /// <summary>Makes t a breakpoint, given the breakpoint at or before it, and returns where it is.</summary>
    private (int C, int I) Split((int C, int I) at, long t)
    {
        if (Time(at) == t) return at;
        var (c, i) = (at.C, at.I + 1);
        var usage = Usage(at);
        var chunk = _chunks[c];
        if (chunk.Count == ChunkSize)
        {
            // A full chunk gives its second half to a new one after it.
            var half = new Chunk { Count = ChunkSize / 2 };
            Array.Copy(chunk.Times, ChunkSize / 2, half.Times, 0, ChunkSize / 2);
            Array.Copy(chunk.Usage, ChunkSize / 2, half.Usage, 0, ChunkSize / 2);
            chunk.Count = ChunkSize / 2;
            _chunks.Insert(c + 1, half);
            if (i > ChunkSize / 2) (c, i, chunk) = (c + 1, i - ChunkSize / 2, half);
        }
        Array.Copy(chunk.Times, i, chunk.Times, i + 1, chunk.Count - i);
        Array.Copy(chunk.Usage, i, chunk.Usage, i + 1, chunk.Count - i);
        (chunk.Times[i], chunk.Usage[i]) = (t, usage);
        chunk.Count++;
        return (c, i);
    }

    private void Remove((int C, int I) p)
    {
        var chunk = _chunks[p.C];
        Array.Copy(chunk.Times, p.I + 1, chunk.Times, p.I, chunk.Count - p.I - 1);
        Array.Copy(chunk.Usage, p.I + 1, chunk.Usage, p.I, chunk.Count - p.I - 1);
        if (--chunk.Count == 0) _chunks.RemoveAt(p.C);
    }
}

/// <summary>A profile for each resource, made when first used: targets of hundreds of chips have millions of resources, and a
/// schedule touches few of them.</summary>
internal sealed class ResourceProfiles(IReadOnlyList<int> capacities)
{
    private readonly ResourceProfile?[] _profiles = new ResourceProfile?[capacities.Count];

    public ResourceProfile this[int resource] => _profiles[resource] ??= new ResourceProfile(capacities[resource]);
}
