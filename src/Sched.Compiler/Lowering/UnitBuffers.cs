using Sched.Runtime.Targets;

namespace Sched.Compiler.Lowering;

/// <summary>
/// What each unit's local buffer holds as lowering places work, so an operand tile is loaded once per unit and reused by every
/// output block that reads it while it stays, as real kernels do. A bounded buffer is accounted as space, not as a count: free space
/// is a list of chunks, each either never used or left by an evicted tile, and a new holder that takes part of a chunk waits for
/// that tile's last user to end (the dependences <see cref="MakeRoom"/> returns). So each byte of the buffer passes from one holder
/// to the next only after the last use of the one before, and no schedule that keeps the dependences overflows it. When the free
/// chunks are too small, the least recently used tiles the current op does not need are evicted into chunks.
/// </summary>
internal sealed class UnitBuffers(IReadOnlyList<ComputeUnit> units, FutureReads? future)
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
    // Each unit's newest copy of each tile, so finding one is not a scan over everything an unbounded buffer ever held.
    private readonly Dictionary<int, Entry>[] _latest = units.Select(_ => new Dictionary<int, Entry>()).ToArray();
    // Free space of each bounded buffer: (bytes, the op whose end frees them, or -1 for space never used).
    private readonly List<(long Bytes, int Wait)>[] _free = units.Select(u => new List<(long, int)> { (u.Buffer, -1) }).ToArray();
    private long _clock;

    /// <summary>The load whose copy of <paramref name="tile"/> the unit still holds, if any.</summary>
    public int? Holder(int unit, int tile) => _latest[unit].TryGetValue(tile, out var e) && e.Reusable ? e.Holder : null;

    /// <summary>Records that <paramref name="op"/> reads (or stores) the unit's copy of the tile.</summary>
    public void Use(int unit, int tile, int op)
    {
        if (!_latest[unit].TryGetValue(tile, out var e)) return;
        e.LastUser = Math.Max(e.LastUser, op);
        e.Stamp = ++_clock;
    }

    /// <summary>
    /// Frees <paramref name="bytes"/> for a new holder, evicting least recently used tiles not in <paramref name="keep"/>: the ops the new
    /// holder must start after the end of. Null when even evicting everything else leaves too little room.
    /// </summary>
    public List<int>? MakeRoom(int unit, long bytes, IReadOnlySet<int> keep)
    {
        var waits = new List<int>();
        if (!units[unit].HasBuffer) return waits;
        var free = _free[unit];
        // With the program's reads known (a first pass recorded them), the tile read again last goes first (Belady's rule: fewest
        // loads); without them, the least recently used.
        // An older copy of a tile the op needs is not the one it reads: it may go too.
        var victims = new Queue<Entry>(_held[unit].Where(e => !keep.Contains(e.Tile) || _latest[unit].GetValueOrDefault(e.Tile) != e)
            .OrderBy(e => future?.Next(e.Tile) == int.MaxValue ? 0 : 1).ThenBy(e => e.Stamp));
        while (free.Sum(f => f.Bytes) < bytes)
        {
            if (!victims.TryDequeue(out var victim)) return null;
            _held[unit].Remove(victim);
            if (_latest[unit].GetValueOrDefault(victim.Tile) == victim) _latest[unit].Remove(victim.Tile);
            free.Add((victim.Bytes, victim.LastUser));
        }
        // Take space in the order it was freed: space never used first, then what the earliest evicted tiles left.
        for (var need = bytes; need > 0;)
        {
            var (chunk, wait) = free[0];
            var take = Math.Min(chunk, need);
            need -= take;
            if (wait >= 0) waits.Add(wait);
            if (take == chunk) free.RemoveAt(0);
            else free[0] = (chunk - take, wait);
        }
        return waits;
    }

    public void Add(int unit, int tile, long bytes, int holder, bool reusable)
    {
        // An unbounded buffer keeps no account of results (nothing is evicted, and only loads are reused), nor a list to evict from.
        if (!units[unit].HasBuffer && !reusable) return;
        var entry = new Entry(tile, bytes, holder, reusable) { Stamp = ++_clock };
        if (units[unit].HasBuffer) _held[unit].Add(entry);
        _latest[unit][tile] = entry;
    }

    /// <summary>Every held copy stays until evicted but is no longer reused (a repeat step starts as the first did).</summary>
    public void Forget()
    {
        for (var u = 0; u < _held.Length; u++)
            if (units[u].HasBuffer) foreach (var e in _held[u]) e.Reusable = false;
            else _latest[u].Clear();
    }
}
