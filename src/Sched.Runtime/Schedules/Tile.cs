namespace Sched.Runtime.Schedules;

/// <summary>
/// A block of a tensor (a column block of rows × cols elements) that lives in one memory at one address.
/// Inputs and weights are resident from cycle 0; computed tiles exist once a store has brought them.
/// <see cref="Tensor"/>, <see cref="Layer"/> and <see cref="ColumnOffset"/> seed their values in functional mode;
/// <see cref="Origin"/> is the declaration or operation that made it, for messages about where it lives.
/// A view (<see cref="Parent"/> ≥ 0) is rows [<see cref="RowOffset"/>, RowOffset + Rows) of another tile, where that tile lies:
/// it holds no memory of its own, is readable when its parent is, and is only ever loaded (a stream of a long tile in windows).
/// </summary>
public sealed record Tile(
    int Id, string Name, string Memory, long Address, long Bytes, int Rows, int Cols,
    bool Resident, string Tensor, int Layer, int ColumnOffset, SourceLine Origin = default)
{
    public int Parent { get; init; } = -1;
    public int RowOffset { get; init; }

    public bool IsView => Parent >= 0;

    /// <summary>The tile whose bytes in memory hold this one's: itself, or a view's parent.</summary>
    public int Storage => IsView ? Parent : Id;

    public Tile WithAddress(long address) => this with { Address = address };

    /// <summary>Where row <paramref name="row"/> of this tile lies (where a view from that row starts).</summary>
    public long RowAddress(int row) => Address + (Rows > 0 ? Bytes / Rows : 0) * row;

    /// <summary>What is wrong with a view against its parent, or null: its rows inside the parent's, at the address they lie.</summary>
    public string? ViewProblem(IReadOnlyList<Tile> tiles)
    {
        if (!IsView) return null;
        if (Parent >= tiles.Count || tiles[Parent].IsView) return $"{Name} is a view of tile {Parent}, which is not a whole tile";
        var p = tiles[Parent];
        var rowBytes = p.Rows > 0 ? p.Bytes / p.Rows : 0;
        return RowOffset < 0 || Rows <= 0 || RowOffset + (long)Rows > p.Rows || Cols != p.Cols || Memory != p.Memory || Resident
            || Bytes != rowBytes * Rows || Address != p.RowAddress(RowOffset)
            ? $"{Name} is not rows [{RowOffset}, {RowOffset + (long)Rows}) of {p.Name} where they lie" : null;
    }
}
