namespace Sched.Runtime.Schedules;

/// <summary>
/// A block of a tensor (a column block of rows × cols elements) that lives in one memory at one address.
/// Inputs and weights are resident from cycle 0; computed tiles exist once a store has brought them.
/// <see cref="Tensor"/>, <see cref="Layer"/> and <see cref="ColumnOffset"/> seed their values in functional mode;
/// <see cref="Origin"/> is the declaration or operation that made it, for messages about where it lives.
/// </summary>
public sealed record Tile(
    int Id, string Name, string Memory, long Address, long Bytes, int Rows, int Cols,
    bool Resident, string Tensor, int Layer, int ColumnOffset, SourceLine Origin = default)
{
    public Tile WithAddress(long address) => this with { Address = address };
}
