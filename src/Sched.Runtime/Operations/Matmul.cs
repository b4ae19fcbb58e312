using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Operations;

/// <summary>
/// [M×K]·[K×N]; the result has the left operand's dtype. Output block j reads all of the left operand's tiles and the
/// right operand's block j; k runs 0..K-1 in order in both the kernel and the reference.
/// </summary>
public sealed class Matmul : Operation
{
    public override string Name => "matmul";
    public override Opcode Opcode => Opcode.Matmul;
    public override int Arity => 2;
    public override UnitKind Unit => UnitKind.Matrix;

    public override string Summary => "[M×K]·[K×N] on a matrix unit; 2·M·K·N FLOPs";

    public override Shape Result(Call call, out ShapeError? error)
    {
        var (left, right) = (call.Shapes[0], call.Shapes[1]);
        error = left.Cols == right.Rows ? null
            : new ShapeError(false, $"matmul needs the columns of the left operand to equal the rows of the right: {left} · {right}");
        return new Shape(left.Dtype, left.Rows, right.Cols);
    }

    public override double Flops(int m, int k, int n, int[] args) => 2.0 * m * k * n;

    public override Work Block(Call call, IReadOnlyList<int[]> operandTiles, int block) =>
        new([.. operandTiles[0], operandTiles[1][block]], call.Shapes[0].Rows, call.Shapes[0].Cols,
            Columns(call, call.Shapes[1].Cols, block).Width, []);

    protected override int AlignedOperands(IReadOnlyList<int[]> operandTiles, Work whole) => operandTiles[0].Length;

    public override bool Fits(Instruction ins, IReadOnlyList<Tile> operands, Tile result) =>
        operands.Count >= 2 && result.Rows == ins.M && result.Cols == ins.N
        && operands.Take(operands.Count - 1).All(a => a.Rows == ins.M) && operands.Take(operands.Count - 1).Sum(a => a.Cols) == ins.K
        && operands[^1].Rows == ins.K && operands[^1].Cols == ins.N;

    public override double[] Kernel(Instruction ins, IReadOnlyList<(double[] Values, int Cols)> operands)
    {
        var (m, n) = (ins.M, ins.N);
        var right = operands[^1].Values;
        var result = new double[m * n];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                var sum = 0.0;
                var kk = 0;
                for (var b = 0; b < operands.Count - 1; b++)
                {
                    var (values, cols) = operands[b];
                    for (var c = 0; c < cols; c++, kk++) sum += values[i * cols + c] * right[kk * n + j];
                }
                result[i * n + j] = sum;
            }
        return result;
    }

    public override double[] Evaluate(Call call, IReadOnlyList<double[]> operands)
    {
        var (m, k, n) = (call.Shapes[0].Rows, call.Shapes[0].Cols, call.Shapes[1].Cols);
        var (a, w) = (operands[0], operands[1]);
        var product = new double[m * n];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                var sum = 0.0;
                for (var kk = 0; kk < k; kk++) sum += a[i * k + kk] * w[kk * n + j];
                product[i * n + j] = sum;
            }
        return product;
    }
}
