namespace Sched.Compiler.Lowering;

/// <summary>
/// When each tile is read, counted in compute steps (lowering makes the same steps in the same order whatever it keeps in unit
/// buffers): a first pass of lowering records them, so that the second can evict the tile read again last.
/// </summary>
internal sealed class FutureReads
{
    private readonly Dictionary<int, List<int>> _reads = [];

    /// <summary>The compute step being lowered.</summary>
    public int Now { get; set; }

    public void Record(int tile)
    {
        var list = _reads.TryGetValue(tile, out var l) ? l : _reads[tile] = [];
        if (list.Count == 0 || list[^1] != Now) list.Add(Now);
    }

    /// <summary>The first step after now that reads the tile; int.MaxValue when none does.</summary>
    public int Next(int tile)
    {
        if (!_reads.TryGetValue(tile, out var list)) return int.MaxValue;
        var at = list.BinarySearch(Now + 1);
        if (at < 0) at = ~at;
        return at < list.Count ? list[at] : int.MaxValue;
    }
}
