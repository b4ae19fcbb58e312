using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Operations;

/// <summary>
/// Rotary position embedding (Llama 2's, base 10,000, interleaved pairs): within each head, columns (2i, 2i+1) of a row at
/// position p turn by p·10000^(−2i/head_dim). Row r is at <c>position</c> + r mod (rows ÷ <c>sequences</c>): by default every
/// row is its own sequence at <c>position</c> (decode); <c>sequences = 1</c> gives a prompt at positions 0, 1, … (prefill).
/// Output block j reads block j. Args: [block's first column, head_dim, position, rows a sequence]. 6 FLOP an element.
/// </summary>
public sealed class Rope : Operation
{
    public override string Name => "rope";
    public override Opcode Opcode => Opcode.Rope;
    public override int Arity => 1;
    public override UnitKind Unit => UnitKind.Vector;
    public override string Summary => "rope(x, head_dim, position, sequences): rotary position embedding";

    public override IReadOnlyList<Setting> Settings { get; } =
    [
        new("head_dim", 128, 2, 1 << 16, "columns a head"),
        new("position", 0, 0, int.MaxValue, "the position of each sequence's first row"),
        new("sequences", 0, 0, int.MaxValue, "sequences the rows split into (0: every row its own sequence)"),
    ];

    public override Shape Result(Call call, out ShapeError? error)
    {
        var x = call.Shapes[0];
        var (headDim, sequences) = (call[0], call[2]);
        error = headDim % 2 != 0 || x.Cols % headDim != 0
            ? new ShapeError(false, $"rope needs an even head_dim that divides the columns of {x}, not {headDim}")
            : call.TileWidth % 2 != 0 ? new ShapeError(false, $"rope needs an even tile width, not {call.TileWidth}, so no pair is cut")
            : sequences > 0 && x.Rows % sequences != 0
                ? new ShapeError(false, $"rope: {sequences} sequences do not divide the {x.Rows} rows")
            : null;
        return x;
    }

    public override double Flops(int m, int k, int n, int[] args) => 6.0 * m * n;

    public override Work Block(Call call, IReadOnlyList<int[]> operandTiles, int block)
    {
        var x = call.Shapes[0];
        var (offset, width) = Columns(call, x.Cols, block);
        var perSequence = call[2] == 0 ? 1 : x.Rows / (int)call[2];
        return new([operandTiles[0][block]], x.Rows, 0, width, [offset, (int)call[0], (int)call[1], perSequence]);
    }

    public override bool Fits(Instruction ins, IReadOnlyList<Tile> operands, Tile result) =>
        operands.Count == 1 && ins.Args.Length == 4 && operands[0].Rows == ins.M && operands[0].Cols == ins.N
        && result.Rows == ins.M && result.Cols == ins.N && ins.Args[0] % 2 == 0 && ins.N % 2 == 0 && ins.Args[1] > 0
        && ins.Args[1] % 2 == 0 && ins.Args[2] >= 0 && ins.Args[3] > 0;

    public override double[] Kernel(Instruction ins, IReadOnlyList<(double[] Values, int Cols)> operands) =>
        Rotate(operands[0].Values, ins.M, ins.N, ins.Args[0], ins.Args[1], ins.Args[2], ins.Args[3]);

    public override double[] Evaluate(Call call, IReadOnlyList<double[]> operands)
    {
        var x = call.Shapes[0];
        return Rotate(operands[0], x.Rows, x.Cols, 0, (int)call[0], (int)call[1], call[2] == 0 ? 1 : x.Rows / (int)call[2]);
    }

    /// <summary>Columns [offset, offset + cols) of rows of x, rotated pair by pair.</summary>
    private static double[] Rotate(double[] x, int rows, int cols, int offset, int headDim, int position, int perSequence)
    {
        var result = new double[x.Length];
        for (var r = 0; r < rows; r++)
        {
            var p = position + r % perSequence;
            for (var c = 0; c < cols; c += 2)
            {
                var i = (offset + c) % headDim / 2;
                var angle = p * Math.Pow(10000, -2.0 * i / headDim);
                var (cos, sin) = (Math.Cos(angle), Math.Sin(angle));
                var (a, b) = (x[r * cols + c], x[r * cols + c + 1]);
                result[r * cols + c] = a * cos - b * sin;
                result[r * cols + c + 1] = a * sin + b * cos;
            }
        }
        return result;
    }
}
