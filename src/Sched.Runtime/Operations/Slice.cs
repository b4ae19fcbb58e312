using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Operations;

/// <summary>
/// Columns [from, to) of x (e.g. q, k and v out of one fused projection), and rows [row_from, row_to) if given (e.g. the last position
/// of a prompt). Output block j reads the input tiles that cover its columns (all their rows). K = x's rows;
/// Args: [the block's first column inside the first tile read, the first row]. No FLOPs.
/// </summary>
public sealed class Slice : Operation
{
    public override string Name => "slice";
    public override Opcode Opcode => Opcode.Slice;
    public override int Arity => 1;
    public override UnitKind Unit => UnitKind.Vector;
    public override string Summary => "slice(x, from, to, row_from, row_to): columns [from, to) and rows [row_from, row_to) of x";

    public override IReadOnlyList<Setting> Settings { get; } =
    [
        new("from", 0, 0, int.MaxValue, "the first column taken"),
        new("to", 0, 0, int.MaxValue, "the column after the last one taken (0: the last column)"),
        new("row_from", 0, 0, int.MaxValue, "the first row taken"),
        new("row_to", 0, 0, int.MaxValue, "the row after the last one taken (0: the last row)"),
    ];

    private static (int From, int To, int RowFrom, int RowTo) Bounds(Call call) =>
        ((int)call[0], call[1] == 0 ? call.Shapes[0].Cols : (int)call[1], (int)call[2], call[3] == 0 ? call.Shapes[0].Rows : (int)call[3]);

    public override Shape Result(Call call, out ShapeError? error)
    {
        var x = call.Shapes[0];
        var (from, to, rowFrom, rowTo) = (call[0], call[1] == 0 ? x.Cols : call[1], call[2], call[3] == 0 ? x.Rows : call[3]);
        error = !(from < to && to <= x.Cols)
            ? new ShapeError(false, $"slice needs 0 <= from < to <= {x.Cols} (the columns of {x}), not from = {from}, to = {to}")
            : !(rowFrom < rowTo && rowTo <= x.Rows)
                ? new ShapeError(false, $"slice needs 0 <= row_from < row_to <= {x.Rows} (the rows of {x}), not {rowFrom} and {rowTo}")
                : null;
        return error is null ? x with { Cols = (int)(to - from), Rows = (int)(rowTo - rowFrom) } : x;
    }

    public override double Flops(int m, int k, int n, int[] args) => 0;

    public override Work Block(Call call, IReadOnlyList<int[]> operandTiles, int block)
    {
        var x = call.Shapes[0];
        var (from, to, rowFrom, rowTo) = Bounds(call);
        var (offset, width) = Columns(call, to - from, block);
        var first = from + offset;
        return new(Covering(operandTiles[0], call.TileWidth, first, first + width).ToArray(), rowTo - rowFrom, x.Rows, width,
            [first % call.TileWidth, rowFrom]);
    }

    public override bool Fits(Instruction ins, IReadOnlyList<Tile> operands, Tile result) => ColumnWindow.Fits(ins, operands, result);

    public override double[] Kernel(Instruction ins, IReadOnlyList<(double[] Values, int Cols)> operands) =>
        ColumnWindow.Take(ins, operands);

    public override double[] Evaluate(Call call, IReadOnlyList<double[]> operands)
    {
        var x = call.Shapes[0];
        var (from, to, rowFrom, rowTo) = Bounds(call);
        return Window(operands[0], x.Rows, x.Cols, from, to - from)[(rowFrom * (to - from))..(rowTo * (to - from))];
    }
}

/// <summary>
/// Kernels that set their operand tiles (of K rows, or M when K is 0) side by side and keep N columns from Args[0] on and M rows from
/// Args[1] on (slice, concat).
/// </summary>
internal static class ColumnWindow
{
    private static int RowFrom(Instruction ins) => ins.Args.Length > 1 ? ins.Args[1] : 0;
    private static int RowsIn(Instruction ins) => ins.K > 0 ? ins.K : ins.M;

    public static bool Fits(Instruction ins, IReadOnlyList<Tile> operands, Tile result) =>
        ins.Args.Length is 1 or 2 && operands.Count > 0 && operands.All(t => t.Rows == RowsIn(ins)) && ins.Args[0] >= 0
        && RowFrom(ins) >= 0 && RowFrom(ins) + ins.M <= RowsIn(ins)
        && ins.Args[0] + ins.N <= operands.Sum(t => t.Cols) && result.Rows == ins.M && result.Cols == ins.N;

    public static double[] Take(Instruction ins, IReadOnlyList<(double[] Values, int Cols)> operands)
    {
        var rows = ins.M;
        var skip = RowFrom(ins);
        var result = new double[rows * ins.N];
        for (var r = 0; r < rows; r++)
        {
            var at = 0;
            foreach (var (values, width) in operands)
            {
                // The part of this tile inside the window [Args[0], Args[0] + N) of the joined row.
                var from = Math.Max(at, ins.Args[0]);
                var to = Math.Min(at + width, ins.Args[0] + ins.N);
                if (from < to) Array.Copy(values, (r + skip) * width + from - at, result, r * ins.N + from - ins.Args[0], to - from);
                at += width;
            }
        }
        return result;
    }
}
