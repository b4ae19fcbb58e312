using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Operations;

/// <summary>
/// The listed rows of x, in order: the tokens a static routing sends to the experts, expert by expert (written by the compiler
/// for <c>moe</c>: a permute, as MoE kernels do before their grouped matmuls). Its settings are the row numbers. Output block j
/// reads x's tile j; a block too tall for the buffer is made rows apart, each step reading x's tile whole.
/// M = rows taken, K = x's rows, Args: the row numbers. No FLOPs.
/// </summary>
public sealed class GatherRows : Operation
{
    public override string Name => "gather_rows";
    public override Opcode Opcode => Opcode.GatherRows;
    public override int Arity => 1;
    public override UnitKind Unit => UnitKind.Vector;
    public override bool Callable => false;
    public override string Summary => "the rows of x a routing sends to one expert (written by moe)";

    public override Shape Result(Call call, out ShapeError? error)
    {
        var x = call.Shapes[0];
        error = call.Settings.Count > 0 && call.Settings.All(r => r >= 0 && r < x.Rows) ? null
            : new ShapeError(false, $"gather_rows needs row numbers inside the {x.Rows} rows of {x}");
        return x with { Rows = call.Settings.Count };
    }

    public override double Flops(int m, int k, int n, int[] args) => 0;

    public override Work Block(Call call, IReadOnlyList<int[]> operandTiles, int block) =>
        new([operandTiles[0][block]], call.Settings.Count, call.Shapes[0].Rows, Columns(call, call.Shapes[0].Cols, block).Width,
            call.Settings.Select(r => (int)r).ToArray());

    public override int RowChunk(Call call, long buffer)
    {
        if (buffer == long.MaxValue) return 0;
        var (x, width) = (call.Shapes[0], Math.Min(call.TileWidth, call.Shapes[0].Cols));
        return Chunk(buffer, x.Dtype.Bytes((long)x.Rows * width), x.Dtype.Bytes(width), call.Settings.Count);
    }

    public override IReadOnlyList<Work> Steps(Call call, IReadOnlyList<int[]> operandTiles, int block)
    {
        var whole = Block(call, operandTiles, block);
        if (call.RowChunk <= 0 || whole.M <= call.RowChunk) return [whole];
        return Enumerable.Range(0, (whole.M + call.RowChunk - 1) / call.RowChunk).Select(w =>
        {
            var rows = new RowWindow(w * call.RowChunk, Math.Min(call.RowChunk, whole.M - w * call.RowChunk));
            return whole with { M = rows.Rows, Args = whole.Args[rows.From..(rows.From + rows.Rows)], ResultRows = rows };
        }).ToList();
    }

    public override bool Fits(Instruction ins, IReadOnlyList<Tile> operands, Tile result) =>
        operands.Count == 1 && operands[0].Rows == ins.K && operands[0].Cols == ins.N && ins.Args.Length == ins.M
        && ins.Args.All(r => r >= 0 && r < ins.K) && result.Rows == ins.M && result.Cols == ins.N;

    public override double[] Kernel(Instruction ins, IReadOnlyList<(double[] Values, int Cols)> operands) =>
        Take(operands[0].Values, ins.N, ins.Args);

    public override double[] Evaluate(Call call, IReadOnlyList<double[]> operands) =>
        Take(operands[0], call.Shapes[0].Cols, call.Settings.Select(r => (int)r).ToArray());

    private static double[] Take(double[] x, int cols, int[] rows)
    {
        var result = new double[rows.Length * cols];
        for (var i = 0; i < rows.Length; i++) Array.Copy(x, rows[i] * cols, result, i * cols, cols);
        return result;
    }
}
