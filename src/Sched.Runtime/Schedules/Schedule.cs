namespace Sched.Runtime.Schedules;

/// <summary>
/// A static schedule: every instruction at an exact cycle on an exact unit or link, the tiles with their
/// addresses, the outputs, and the compiler's lower bound. It is data; the verifier does not trust it.
/// </summary>
public sealed record Schedule(
    string Program,
    string SourceFile,
    IReadOnlyList<Tile> Tiles,
    IReadOnlyList<Instruction> Instructions,
    IReadOnlyList<OutputTensor> Outputs,
    long Bound,
    string BoundKind,
    IReadOnlyList<string> Notes)
{
    public Schedule WithInstructions(IReadOnlyList<Instruction> instructions) => this with { Instructions = instructions };
    public Schedule WithTiles(IReadOnlyList<Tile> tiles) => this with { Tiles = tiles };
}
