namespace Sched.Compiler.Scheduling;

/// <summary>
/// The usage of one resource over time as a step function: usage[i] holds from times[i] to times[i+1].
/// Serial schedule generation asks it for the earliest start with room, then books (or releases) the interval.
/// Neighbouring segments of equal usage are merged, so a packed stretch is one segment to skip.
/// </summary>
internal sealed class ResourceProfile(int capacity)
{
    private readonly List<long> _times = [0];
    private readonly List<int> _usage = [0];
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
        var i = Segment(t);
        while (true)
        {
            var fits = true;
            for (var j = i; j < _times.Count && _times[j] < t + duration; j++)
                if (_usage[j] + amount > capacity)
                {
                    // Skip past the full segment and try again from where it ends.
                    fits = false;
                    i = j + 1;
                    t = _times[i];
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
        var first = Split(start);
        var last = Split(start + duration);
        for (var j = first; j < last; j++) _usage[j] += amount;
        // Merge equal neighbours at both ends of the changed stretch.
        if (last < _times.Count && _usage[last] == _usage[last - 1]) { _times.RemoveAt(last); _usage.RemoveAt(last); }
        if (first > 0 && _usage[first] == _usage[first - 1]) { _times.RemoveAt(first); _usage.RemoveAt(first); }
    }

    public void Release(long start, long duration, int amount) => Book(start, duration, -amount);

    private int Segment(long t)
    {
        var i = _times.BinarySearch(t);
        return i >= 0 ? i : ~i - 1;
    }

    /// <summary>Makes t a breakpoint and returns its index.</summary>
    private int Split(long t)
    {
        var i = _times.BinarySearch(t);
        if (i >= 0) return i;
        i = ~i;
        _times.Insert(i, t);
        _usage.Insert(i, _usage[i - 1]);
        return i;
    }
}

/// <summary>A profile for each resource, made when first used: targets of hundreds of chips have millions of resources, and a
/// schedule touches few of them.</summary>
internal sealed class ResourceProfiles(IReadOnlyList<int> capacities)
{
    private readonly ResourceProfile?[] _profiles = new ResourceProfile?[capacities.Count];

    public ResourceProfile this[int resource] => _profiles[resource] ??= new ResourceProfile(capacities[resource]);
}
