using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Operations;

/// <summary>
/// Columns [from, to) of x (e.g. q, k and v out of one fused projection). Output block j reads the input tiles that cover its
/// columns. Args: [the block's first column inside the first tile read]. No FLOPs.
/// </summary>
public sealed class Slice : Operation
{
    public override string Name => "slice";
    public override Opcode Opcode => Opcode.Slice;
    public override int Arity => 1;
    public override UnitKind Unit => UnitKind.Vector;
    public override string Summary => "slice(x, from, to): columns [from, to) of x";

    public override IReadOnlyList<Setting> Settings { get; } =
    [
        new("from", 0, 0, int.MaxValue, "the first column taken"),
        new("to", 0, 1, int.MaxValue, "the column after the last one taken"),
    ];

    public override Shape Result(Call call, out ShapeError? error)
    {
        var x = call.Shapes[0];
        var (from, to) = (call[0], call[1]);
        error = from < to && to <= x.Cols ? null
            : new ShapeError(false, $"slice needs 0 <= from < to <= {x.Cols} (the columns of {x}), not from = {from}, to = {to}");
        return x with { Cols = (int)(to - from) };
    }

    public override double Flops(int m, int k, int n, int[] args) => 0;

    public override Work Block(Call call, IReadOnlyList<int[]> operandTiles, int block)
    {
        var x = call.Shapes[0];
        var (offset, width) = Columns(call, (int)(call[1] - call[0]), block);
        var first = (int)call[0] + offset;
        return new(Covering(operandTiles[0], call.TileWidth, first, first + width).ToArray(), x.Rows, 0, width,
            [first % call.TileWidth]);
    }

    public override bool Fits(Instruction ins, IReadOnlyList<Tile> operands, Tile result) => ColumnWindow.Fits(ins, operands, result);

    public override double[] Kernel(Instruction ins, IReadOnlyList<(double[] Values, int Cols)> operands) =>
        ColumnWindow.Take(ins, operands);

    public override double[] Evaluate(Call call, IReadOnlyList<double[]> operands)
    {
        var x = call.Shapes[0];
        return Window(operands[0], x.Rows, x.Cols, (int)call[0], (int)(call[1] - call[0]));
    }
}

/// <summary>Kernels that set their operand tiles side by side and keep N columns from Args[0] on (slice, concat).</summary>
internal static class ColumnWindow
{
    public static bool Fits(Instruction ins, IReadOnlyList<Tile> operands, Tile result) =>
        ins.Args.Length == 1 && operands.Count > 0 && operands.All(t => t.Rows == ins.M) && ins.Args[0] >= 0
        && ins.Args[0] + ins.N <= operands.Sum(t => t.Cols) && result.Rows == ins.M && result.Cols == ins.N;

    public static double[] Take(Instruction ins, IReadOnlyList<(double[] Values, int Cols)> operands)
    {
        var rows = ins.M;
        var result = new double[rows * ins.N];
        for (var r = 0; r < rows; r++)
        {
            var at = 0;
            foreach (var (values, width) in operands)
            {
                // The part of this tile inside the window [Args[0], Args[0] + N) of the joined row.
                var from = Math.Max(at, ins.Args[0]);
                var to = Math.Min(at + width, ins.Args[0] + ins.N);
                if (from < to) Array.Copy(values, r * width + from - at, result, r * ins.N + from - ins.Args[0], to - from);
                at += width;
            }
        }
        return result;
    }
}
