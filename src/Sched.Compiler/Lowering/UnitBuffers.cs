using Sched.Runtime.Targets;

namespace Sched.Compiler.Lowering;

/// <summary>
/// What each unit's local buffer holds as lowering places work, so an operand tile is loaded once per unit and reused by every
/// output block that reads it while it stays, as real kernels do. A bounded buffer makes room by evicting the least recently used
/// tiles the current op does not need; whatever takes their space must wait until their last user ends (the dependences
/// <see cref="MakeRoom"/> returns), so the buffer never overflows in any schedule that keeps the dependences.
/// </summary>
internal sealed class UnitBuffers(IReadOnlyList<ComputeUnit> units)
{
    private sealed class Entry(int tile, long bytes, int holder, bool reusable)
    {
        public int Tile { get; } = tile;
        public long Bytes { get; } = bytes;
        public int Holder { get; } = holder;
        public bool Reusable { get; set; } = reusable;
        public int LastUser { get; set; } = holder;
        public long Stamp { get; set; }
    }

    private readonly List<Entry>[] _held = units.Select(_ => new List<Entry>()).ToArray();
    private readonly long[] _used = new long[units.Count];
    private long _clock;

    /// <summary>The load whose copy of <paramref name="tile"/> the unit still holds, if any.</summary>
    public int? Holder(int unit, int tile) => _held[unit].FirstOrDefault(e => e.Tile == tile && e.Reusable)?.Holder;

    /// <summary>Records that <paramref name="op"/> reads (or stores) the unit's copy of the tile.</summary>
    public void Use(int unit, int tile, int op)
    {
        if (_held[unit].LastOrDefault(e => e.Tile == tile) is not { } e) return;
        e.LastUser = Math.Max(e.LastUser, op);
        e.Stamp = ++_clock;
    }

    /// <summary>
    /// Frees <paramref name="bytes"/> for a new holder, evicting least recently used tiles not in <paramref name="keep"/>: the ops the new
    /// holder must start after the end of. Null when even evicting everything else leaves too little room.
    /// </summary>
    public List<int>? MakeRoom(int unit, long bytes, IReadOnlySet<int> keep)
    {
        var capacity = units[unit].Buffer;
        var waits = new List<int>();
        if (!units[unit].HasBuffer) return waits;
        foreach (var victim in _held[unit].Where(e => !keep.Contains(e.Tile)).OrderBy(e => e.Stamp).ToList())
        {
            if (_used[unit] + bytes <= capacity) break;
            _held[unit].Remove(victim);
            _used[unit] -= victim.Bytes;
            waits.Add(victim.LastUser);
        }
        return _used[unit] + bytes <= capacity ? waits : null;
    }

    public void Add(int unit, int tile, long bytes, int holder, bool reusable)
    {
        _held[unit].Add(new Entry(tile, bytes, holder, reusable) { Stamp = ++_clock });
        if (units[unit].HasBuffer) _used[unit] += bytes;
        // An unbounded buffer keeps no account of results: nothing is ever evicted, and only loads are reused.
        if (!units[unit].HasBuffer && !reusable) _held[unit].RemoveAt(_held[unit].Count - 1);
    }

    /// <summary>Every held copy stays until evicted but is no longer reused (a repeat step starts as the first did).</summary>
    public void Forget()
    {
        for (var u = 0; u < _held.Length; u++)
            if (units[u].HasBuffer) foreach (var e in _held[u]) e.Reusable = false;
            else _held[u].Clear();
    }
}
