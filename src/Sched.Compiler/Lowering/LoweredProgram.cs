using Sched.Compiler.Scheduling;
using Sched.Language.Binding;
using Sched.Language.Text;
using Sched.Runtime.Schedules;

namespace Sched.Compiler.Lowering;

/// <summary>
/// A program lowered to tiles and primitive operations: the scheduling problem, and beside it, one
/// instruction per problem operation (its cycle still 0) and the tiles (addresses not yet allocated).
/// </summary>
public sealed record LoweredProgram(
    Problem Problem,
    IReadOnlyList<Instruction> Instructions,
    IReadOnlyList<Tile> Tiles,
    IReadOnlyList<TextSpan> TileOrigins,
    IReadOnlyList<OutputTensor> Outputs,
    double Flops,
    RepeatRegion? Repeat,
    IReadOnlyList<string> Notes)
{
    /// <summary>Each collective's report note and its operations [First, End), so the report can say how long it took.</summary>
    public IReadOnlyList<(string Note, int First, int End)> Collectives { get; init; } = [];

    /// <summary>
    /// Each collective's summation order, occurrence by occurrence (true: a balanced tree over the chips; false: a chain from part
    /// j mod n): the algorithm is chosen from the links, which the interpreters do not know, so they take its order from here.
    /// </summary>
    public IReadOnlyDictionary<BoundCollective, IReadOnlyList<bool>> SumOrders { get; init; } =
        new Dictionary<BoundCollective, IReadOnlyList<bool>>();
}

/// <summary>
/// The operations of a <c>repeat</c>: <see cref="Iterations"/> copies of <see cref="PerIteration"/> operations from <see cref="First"/>.
/// </summary>
public sealed record RepeatRegion(int First, int PerIteration, int Iterations)
{
    /// <summary>Where the <c>repeat</c> is written, for a diagnostic when its steps cannot be pipelined.</summary>
    public TextSpan Span { get; init; }
}
