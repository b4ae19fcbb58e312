using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Operations;

/// <summary>
/// The experts' outputs combined back into the batch (written by the compiler for <c>moe</c>): part p's rows are added, in order, to
/// the rows of the tokens it served, starting from zeros. Settings: [the result's rows, then for each part the row each of its rows
/// goes to, the parts one after another]; the parts' shapes say where one ends. Output block j reads block j of every part.
/// M = result rows, K = rows of all parts, Args: [parts, each part's rows, the target rows…]. One FLOP an element of a part.
/// </summary>
public sealed class ScatterRows : Operation
{
    public override string Name => "scatter_rows";
    public override Opcode Opcode => Opcode.ScatterRows;
    public override int Arity => 1;
    public override UnitKind Unit => UnitKind.Vector;
    public override bool Callable => false;
    public override string Summary => "the experts' output rows added back at their tokens' rows (written by moe)";

    public override Shape Result(Call call, out ShapeError? error)
    {
        var total = (int)call.Settings[0];
        var first = call.Shapes[0];
        error = call.Settings.Count - 1 != call.Shapes.Sum(s => s.Rows) || call.Settings.Skip(1).Any(r => r < 0 || r >= total)
            || call.Shapes.Any(s => s.Cols != first.Cols || s.Dtype != first.Dtype)
            ? new ShapeError(false, $"scatter_rows needs one target row inside {total} for each row of its parts, all of one width")
            : null;
        return first with { Rows = total };
    }

    public override double Flops(int m, int k, int n, int[] args) => (double)k * n;

    public override Work Block(Call call, IReadOnlyList<int[]> operandTiles, int block) =>
        new(operandTiles.Select(t => t[block]).ToArray(), (int)call.Settings[0], call.Shapes.Sum(s => s.Rows),
            Columns(call, call.Shapes[0].Cols, block).Width,
            [call.Shapes.Count, .. call.Shapes.Select(s => s.Rows), .. call.Settings.Skip(1).Select(r => (int)r)]);

    /// <summary>Rows a step makes when all parts' rows of one block do not fit the buffer (a part's rows are read by the step that
    /// makes their tokens' rows).</summary>
    public override int RowChunk(Call call, long buffer)
    {
        if (buffer == long.MaxValue) return 0;
        var (rows, width) = ((int)call.Settings[0], Math.Min(call.TileWidth, call.Shapes[0].Cols));
        var dtype = call.Shapes[0].Dtype;
        var perRow = dtype.Bytes((long)width * (call.Shapes.Sum(s => (long)s.Rows) + rows - 1) / Math.Max(1, rows) + width);
        return Chunk(buffer, 0, perRow, rows);
    }

    /// <summary>Rows apart when each part's targets ascend (as routing writes them): the step making rows [a, b) reads the window of
    /// each part whose tokens lie there, and leaves out parts with none.</summary>
    public override IReadOnlyList<Work> Steps(Call call, IReadOnlyList<int[]> operandTiles, int block)
    {
        var whole = Block(call, operandTiles, block);
        var targets = call.Settings.Skip(1).Select(r => (int)r).ToArray();
        var starts = call.Shapes.Select((_, p) => call.Shapes.Take(p).Sum(s => s.Rows)).ToArray();
        var parts = call.Shapes.Select((s, p) => targets[starts[p]..(starts[p] + s.Rows)]).ToArray();
        if (call.RowChunk <= 0 || whole.M <= call.RowChunk || parts.Any(t => t.Zip(t.Skip(1)).Any(x => x.First > x.Second)))
            return [whole];
        var steps = new List<Work>();
        for (var a = 0; a < whole.M; a += call.RowChunk)
        {
            var b = Math.Min(whole.M, a + call.RowChunk);
            var (operands, windows, sizes, moved) = (new List<int>(), new List<RowWindow?>(), new List<int>(), new List<int>());
            for (var p = 0; p < parts.Length; p++)
            {
                var (lo, hi) = (LowerBound(parts[p], a), LowerBound(parts[p], b));
                if (hi == lo) continue;
                operands.Add(operandTiles[p][block]);
                windows.Add(hi - lo == parts[p].Length ? null : new RowWindow(lo, hi - lo));
                sizes.Add(hi - lo);
                moved.AddRange(parts[p][lo..hi].Select(t => t - a));
            }
            steps.Add(new Work([.. operands], b - a, moved.Count, whole.N, [operands.Count, .. sizes, .. moved])
                { Windows = [.. windows], ResultRows = new RowWindow(a, b - a) });
        }
        return steps;
    }

    private static int LowerBound(int[] sorted, int value)
    {
        var (lo, hi) = (0, sorted.Length);
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    public override bool Fits(Instruction ins, IReadOnlyList<Tile> operands, Tile result)
    {
        if (ins.Args.Length == 0 || ins.Args[0] != operands.Count || ins.Args.Length != 1 + operands.Count + ins.K) return false;
        return operands.Select((t, p) => t.Rows == ins.Args[1 + p] && t.Cols == ins.N).All(ok => ok)
            && operands.Sum(t => t.Rows) == ins.K && ins.Args.Skip(1 + operands.Count).All(r => r >= 0 && r < ins.M)
            && result.Rows == ins.M && result.Cols == ins.N;
    }

    public override double[] Kernel(Instruction ins, IReadOnlyList<(double[] Values, int Cols)> operands) =>
        Combine(operands.Select(o => o.Values).ToArray(), ins.M, ins.N, ins.Args.Skip(1 + operands.Count).ToArray());

    public override double[] Evaluate(Call call, IReadOnlyList<double[]> operands) =>
        Combine(operands, (int)call.Settings[0], call.Shapes[0].Cols, call.Settings.Skip(1).Select(r => (int)r).ToArray());

    private static double[] Combine(IReadOnlyList<double[]> parts, int rows, int cols, int[] targets)
    {
        var result = new double[rows * cols];
        var i = 0;
        foreach (var part in parts)
            for (var r = 0; r < part.Length / cols; r++, i++)
                for (var c = 0; c < cols; c++) result[targets[i] * cols + c] += part[r * cols + c];
        return result;
    }
}
