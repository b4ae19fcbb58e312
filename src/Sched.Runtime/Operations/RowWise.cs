using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Operations;

/// <summary>
/// An operation on whole rows of its first operand (softmax, the norms): output block j reads every column tile of x, since a row's
/// statistic needs all of it, and block j of each further operand (a gain or bias vector of shape [1, cols]). The row statistic is
/// counted once per row, as a fused kernel computes it, so the FLOPs are the per-element cost of the block.
/// Args: [the block's first column].
/// </summary>
public abstract class RowWise : Operation
{
    public override UnitKind Unit => UnitKind.Vector;

    protected abstract double FlopsPerElement { get; }

    /// <summary>One whole row (in place) with the vectors' values for the same columns; the sum runs column 0 upward.</summary>
    protected abstract void Row(Span<double> row, IReadOnlyList<double[]> vectors);

    public override Shape Result(Call call, out ShapeError? error)
    {
        error = null;
        var x = call.Shapes[0];
        foreach (var v in call.Shapes.Skip(1))
            if (v.Rows != 1 || v.Cols != x.Cols)
                error = new ShapeError(false, $"{Name} needs its vectors to be [1, {x.Cols}] (one value a column of {x}), not {v}");
            else if (v.Dtype != x.Dtype)
                error = new ShapeError(true, $"{Name} needs one dtype, not {x.Dtype.Name()} and {v.Dtype.Name()}");
        return x;
    }

    public override double Flops(int m, int k, int n, int[] args) => FlopsPerElement * m * n;

    public override Work Block(Call call, IReadOnlyList<int[]> operandTiles, int block)
    {
        var (offset, width) = Columns(call, call.Shapes[0].Cols, block);
        return new([.. operandTiles[0], .. operandTiles.Skip(1).Select(t => t[block])], call.Shapes[0].Rows, call.Shapes[0].Cols, width,
            [offset]);
    }

    protected override int AlignedOperands(IReadOnlyList<int[]> operandTiles, Work whole) => operandTiles[0].Length;

    public override bool Fits(Instruction ins, IReadOnlyList<Tile> operands, Tile result)
    {
        var vectors = Arity - 1;
        var row = operands.Take(operands.Count - vectors).ToList();
        return ins.Args.Length == 1 && row.Count > 0 && row.All(t => t.Rows == ins.M) && row.Sum(t => t.Cols) == ins.K
            && ins.Args[0] >= 0 && ins.Args[0] + ins.N <= ins.K && result.Rows == ins.M && result.Cols == ins.N
            && operands.Skip(row.Count).All(v => v.Rows == 1 && v.Cols == ins.N);
    }

    public override double[] Kernel(Instruction ins, IReadOnlyList<(double[] Values, int Cols)> operands)
    {
        var vectors = Arity - 1;
        var (x, cols) = SideBySide(operands.Take(operands.Count - vectors), ins.M);
        // The vectors arrive as the block's columns only; spread them over the whole row so Row sees them where it expects.
        var spread = operands.Skip(operands.Count - vectors).Select(v =>
        {
            var full = new double[cols];
            Array.Copy(v.Values, 0, full, ins.Args[0], ins.N);
            return full;
        }).ToArray();
        for (var r = 0; r < ins.M; r++) Row(x.AsSpan(r * cols, cols), spread);
        return Window(x, ins.M, cols, ins.Args[0], ins.N);
    }

    public override double[] Evaluate(Call call, IReadOnlyList<double[]> operands)
    {
        var (rows, cols) = (call.Shapes[0].Rows, call.Shapes[0].Cols);
        var x = (double[])operands[0].Clone();
        for (var r = 0; r < rows; r++) Row(x.AsSpan(r * cols, cols), operands.Skip(1).ToArray());
        return x;
    }
}
