using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Operations;

/// <summary>
/// a's columns, then b's (rows and dtype alike). Output block j reads the tiles of a and of b that cover its columns, side by side.
/// Args: [the block's first column inside the first tile read]. No FLOPs.
/// </summary>
public sealed class Concat : Operation
{
    public override string Name => "concat";
    public override Opcode Opcode => Opcode.Concat;
    public override int Arity => 2;
    public override UnitKind Unit => UnitKind.Vector;
    public override string Summary => "concat(a, b): a's columns then b's";

    public override Shape Result(Call call, out ShapeError? error)
    {
        var (a, b) = (call.Shapes[0], call.Shapes[1]);
        error = a.Rows != b.Rows ? new ShapeError(false, $"concat needs operands with the same rows, not {a} and {b}")
            : a.Dtype != b.Dtype ? new ShapeError(true, $"concat needs one dtype, not {a.Dtype.Name()} and {b.Dtype.Name()}")
            : (long)a.Cols + b.Cols > int.MaxValue ? new ShapeError(false, $"concat of {a} and {b} has too many columns")
            : null;
        return a with { Cols = a.Cols + b.Cols };
    }

    public override double Flops(int m, int k, int n, int[] args) => 0;

    public override Work Block(Call call, IReadOnlyList<int[]> operandTiles, int block)
    {
        var (a, b) = (call.Shapes[0], call.Shapes[1]);
        var (offset, width) = Columns(call, a.Cols + b.Cols, block);
        var tw = call.TileWidth;
        var fromA = offset < a.Cols ? Covering(operandTiles[0], tw, offset, Math.Min(offset + width, a.Cols)).ToArray() : [];
        var fromB = offset + width > a.Cols
            ? Covering(operandTiles[1], tw, Math.Max(offset - a.Cols, 0), offset + width - a.Cols).ToArray() : [];
        // Where the block starts in the joined row of the tiles it reads: in a's first tile read, or in b's.
        var start = fromA.Length > 0 ? offset % tw : (offset - a.Cols) % tw;
        return new([.. fromA, .. fromB], a.Rows, 0, width, [start]);
    }

    public override bool Fits(Instruction ins, IReadOnlyList<Tile> operands, Tile result) => ColumnWindow.Fits(ins, operands, result);

    public override double[] Kernel(Instruction ins, IReadOnlyList<(double[] Values, int Cols)> operands) =>
        ColumnWindow.Take(ins, operands);

    public override double[] Evaluate(Call call, IReadOnlyList<double[]> operands)
    {
        var (a, b) = (call.Shapes[0], call.Shapes[1]);
        var cols = a.Cols + b.Cols;
        var result = new double[a.Rows * cols];
        for (var r = 0; r < a.Rows; r++)
        {
            Array.Copy(operands[0], r * a.Cols, result, r * cols, a.Cols);
            Array.Copy(operands[1], r * b.Cols, result, r * cols + a.Cols, b.Cols);
        }
        return result;
    }
}
