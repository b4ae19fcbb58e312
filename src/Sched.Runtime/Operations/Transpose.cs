using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Operations;

/// <summary>
/// [R×C] → [C×R]. Output block j (rows [j·w, j·w + w) of x become its columns) reads every tile of x, since each holds all rows.
/// M = C, K = R, Args: [the block's first column]. No FLOPs.
/// </summary>
public sealed class Transpose : Operation
{
    public override string Name => "transpose";
    public override Opcode Opcode => Opcode.Transpose;
    public override int Arity => 1;
    public override UnitKind Unit => UnitKind.Vector;
    public override string Summary => "transpose(x): [R×C] → [C×R]";

    public override Shape Result(Call call, out ShapeError? error)
    {
        error = null;
        var x = call.Shapes[0];
        return new Shape(x.Dtype, x.Cols, x.Rows);
    }

    public override double Flops(int m, int k, int n, int[] args) => 0;

    public override Work Block(Call call, IReadOnlyList<int[]> operandTiles, int block)
    {
        var x = call.Shapes[0];
        var (offset, width) = Columns(call, x.Rows, block);
        return new(operandTiles[0], x.Cols, x.Rows, width, [offset]);
    }

    public override bool Fits(Instruction ins, IReadOnlyList<Tile> operands, Tile result) =>
        ins.Args.Length == 1 && operands.Count > 0 && operands.All(t => t.Rows == ins.K) && operands.Sum(t => t.Cols) == ins.M
        && ins.Args[0] >= 0 && ins.Args[0] + ins.N <= ins.K && result.Rows == ins.M && result.Cols == ins.N;

    public override double[] Kernel(Instruction ins, IReadOnlyList<(double[] Values, int Cols)> operands)
    {
        var (x, cols) = SideBySide(operands, ins.K);
        var result = new double[ins.M * ins.N];
        for (var i = 0; i < ins.M; i++)
            for (var j = 0; j < ins.N; j++) result[i * ins.N + j] = x[(ins.Args[0] + j) * cols + i];
        return result;
    }

    public override double[] Evaluate(Call call, IReadOnlyList<double[]> operands)
    {
        var x = call.Shapes[0];
        var result = new double[x.Rows * x.Cols];
        for (var r = 0; r < x.Rows; r++)
            for (var c = 0; c < x.Cols; c++) result[c * x.Rows + r] = operands[0][r * x.Cols + c];
        return result;
    }
}
