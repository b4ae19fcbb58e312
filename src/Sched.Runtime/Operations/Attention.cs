using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Operations;

/// <summary>
/// Multi-head attention with grouped-query KV heads: <c>attention(q, k, v)</c> or, in decode, <c>attention(q, k, v, past_k, past_v)</c>
/// where k and v are this step's new keys and values and the past ones come from a KV cache. q is [S·sequences, H·head_dim];
/// keys and values are [rows, G·head_dim] with H a multiple of G (query head h reads KV head h ÷ (H ÷ G)). Rows split evenly
/// into <c>sequences</c> (default: every query row its own sequence, as in decode); a query sees its own sequence's past keys,
/// then its new keys (with <c>causal = 1</c>, only those up to its own position). Scores are scaled by 1/√head_dim.
/// <para>Tiling: head_dim must divide the tile width, so output block j holds whole heads; it reads q's block j and the tiles of
/// k, v (and past k, past v) that hold its KV heads. M = query rows, K = keys a sequence, N = the block's columns.
/// Args: [head_dim, query heads a KV head, block's first column, first KV column read, sequences, causal, past rows a
/// sequence, new rows a sequence, tiles read of each of k, v, …].</para>
/// </summary>
public sealed class Attention : Operation
{
    public override string Name => "attention";
    public override Opcode Opcode => Opcode.Attention;
    public override int Arity => 3;
    public override IReadOnlyList<int> Arities => [3, 5];
    public override UnitKind Unit => UnitKind.Matrix;
    public override string Summary => "attention(q, k, v[, past_k, past_v], head_dim, sequences, causal): GQA attention over a KV cache";

    public override IReadOnlyList<Setting> Settings { get; } =
    [
        new("head_dim", 128, 1, 1 << 16, "columns a head"),
        new("sequences", 0, 0, int.MaxValue, "sequences the rows split into (0: every query row its own sequence)"),
        new("causal", 0, 0, 1, "1: a query sees only new keys up to its own position"),
    ];

    public override Shape Result(Call call, out ShapeError? error)
    {
        error = Check(call);
        return call.Shapes[0];
    }

    private static ShapeError? Check(Call call)
    {
        var (q, k, v) = (call.Shapes[0], call.Shapes[1], call.Shapes[2]);
        var headDim = call[0];
        var sequences = call[1] == 0 ? q.Rows : call[1];
        if (call.Shapes.Any(s => s.Dtype != q.Dtype))
            return new ShapeError(true, $"attention needs one dtype, not {string.Join(", ", call.Shapes.Select(s => s.Dtype.Name()))}");
        if (q.Cols % headDim != 0 || k.Cols % headDim != 0)
            return new ShapeError(false, $"attention: head_dim {headDim} must divide the columns of q {q} and k {k}");
        if (v != k) return new ShapeError(false, $"attention needs v of k's shape {k}, not {v}");
        if (q.Cols / headDim % (k.Cols / headDim) != 0)
            return new ShapeError(false, $"attention: {q.Cols / headDim} query heads do not share {k.Cols / headDim} KV heads evenly");
        if (call.TileWidth % headDim != 0)
            return new ShapeError(false, $"attention: head_dim {headDim} must divide the target's tile width {call.TileWidth}");
        if (call.Shapes.Count == 5 && (call.Shapes[3].Cols != k.Cols || call.Shapes[4] != call.Shapes[3]))
            return new ShapeError(false, $"attention needs past_k and past_v with k's {k.Cols} columns and one shape, not "
                + $"{call.Shapes[3]} and {call.Shapes[4]}");
        if (call.Shapes.Skip(1).Any(s => s.Rows % sequences != 0) || q.Rows % sequences != 0)
            return new ShapeError(false, $"attention: the rows of q, k and v must split into {sequences} sequences");
        return null;
    }

    public override double Flops(int m, int k, int n, int[] args)
    {
        var (headDim, causal, past, fresh) = (args[0], args[5], args[6], args[7]);
        var queries = m / Math.Max(1, args[4]);
        // A causal query sees, on average, half of the new keys of its own prompt beyond the ones before it.
        var keys = causal == 1 ? past + (fresh - queries) + (queries + 1) / 2.0 : k;
        return 4.0 * m * keys * n + 5.0 * m * keys * (n / headDim);
    }

    public override Work Block(Call call, IReadOnlyList<int[]> operandTiles, int block)
    {
        var (q, k) = (call.Shapes[0], call.Shapes[1]);
        var headDim = (int)call[0];
        var sequences = call[1] == 0 ? q.Rows : (int)call[1];
        var (offset, width) = Columns(call, q.Cols, block);
        var group = q.Cols / k.Cols;
        var (firstKv, endKv) = (offset / headDim / group * headDim, ((offset + width) / headDim - 1) / group * headDim + headDim);
        var kvTiles = operandTiles.Skip(1).Select(t => Covering(t, call.TileWidth, firstKv, endKv).ToArray()).ToArray();
        var past = call.Shapes.Count == 5 ? call.Shapes[3].Rows / sequences : 0;
        var fresh = k.Rows / sequences;
        return new([operandTiles[0][block], .. kvTiles.SelectMany(t => t)], q.Rows, past + fresh, width,
            [headDim, group, offset, firstKv / call.TileWidth * call.TileWidth, sequences, (int)call[2], past, fresh, kvTiles[0].Length]);
    }

    public override bool Fits(Instruction ins, IReadOnlyList<Tile> operands, Tile result)
    {
        if (ins.Args.Length != 9 || ins.Args.Take(2).Any(a => a <= 0) || ins.Args[4] <= 0 || ins.Args[8] <= 0) return false;
        var (headDim, offset, sequences) = (ins.Args[0], ins.Args[2], ins.Args[4]);
        var (past, fresh, each) = (ins.Args[6], ins.Args[7], ins.Args[8]);
        var groups = past > 0 ? 4 : 2;
        if (operands.Count != 1 + groups * each || ins.K != past + fresh || ins.M % sequences != 0) return false;
        var kv = Enumerable.Range(0, groups).Select(g => operands.Skip(1 + g * each).Take(each).ToList()).ToList();
        var rows = new[] { fresh, fresh, past, past };
        return operands[0].Rows == ins.M && operands[0].Cols == ins.N && result.Rows == ins.M && result.Cols == ins.N
            && ins.N % headDim == 0 && offset % headDim == 0 && ins.Args[3] >= 0 && ins.Args[5] is 0 or 1
            && kv.Select((g, i) => g.All(t => t.Rows == rows[i] * sequences)).All(ok => ok)
            && kv.All(g => g.Sum(t => t.Cols) == kv[0].Sum(t => t.Cols))
            && HeadsInside(ins, kv[0].Sum(t => t.Cols));
    }

    // Every KV head the block's query heads read lies inside the KV columns its tiles hold.
    private static bool HeadsInside(Instruction ins, int kvCols)
    {
        var (headDim, group, offset, firstKv) = (ins.Args[0], ins.Args[1], ins.Args[2], ins.Args[3]);
        var lastHead = (offset + ins.N) / headDim - 1;
        return offset / headDim / group * headDim >= firstKv && (lastHead / group + 1) * headDim <= firstKv + kvCols;
    }

    public override double[] Kernel(Instruction ins, IReadOnlyList<(double[] Values, int Cols)> operands)
    {
        var (sequences, past, fresh, each) = (ins.Args[4], ins.Args[6], ins.Args[7], ins.Args[8]);
        var groups = Enumerable.Range(0, past > 0 ? 4 : 2).Select(g =>
            SideBySide(operands.Skip(1 + g * each).Take(each), (g < 2 ? fresh : past) * sequences)).ToArray();
        var inputs = new Inputs(operands[0].Values, ins.N, ins.Args[2], groups[0].Values, groups[1].Values,
            past > 0 ? groups[2].Values : [], past > 0 ? groups[3].Values : [], groups[0].Cols, ins.Args[3]);
        return Attend(inputs, ins.M, ins.N, ins.Args[0], ins.Args[1], sequences, ins.Args[5] == 1, past, fresh);
    }

    public override double[] Evaluate(Call call, IReadOnlyList<double[]> operands)
    {
        var (q, k) = (call.Shapes[0], call.Shapes[1]);
        var sequences = call[1] == 0 ? q.Rows : (int)call[1];
        var past = call.Shapes.Count == 5 ? call.Shapes[3].Rows / sequences : 0;
        var inputs = new Inputs(operands[0], q.Cols, 0, operands[1], operands[2], past > 0 ? operands[3] : [], past > 0 ? operands[4] : [],
            k.Cols, 0);
        return Attend(inputs, q.Rows, q.Cols, (int)call[0], q.Cols / k.Cols, sequences, call[2] == 1, past, k.Rows / sequences);
    }

    /// <summary>Queries (row-major; column 0 is q's column <paramref name="QOffset"/>) and KV arrays (column 0 is KvOffset).</summary>
    private sealed record Inputs(double[] Q, int QCols, int QOffset, double[] K, double[] V, double[] PastK, double[] PastV, int KvCols,
        int KvOffset);

    /// <summary>The one loop both the kernel and the reference run, so both sum in the same order: past keys, then new, d upward.</summary>
    private static double[] Attend(Inputs x, int rows, int cols, int headDim, int group, int sequences, bool causal, int past, int fresh)
    {
        var result = new double[rows * cols];
        var queries = rows / sequences;
        var scale = 1 / Math.Sqrt(headDim);
        var weights = new double[past + fresh];
        for (var i = 0; i < rows; i++)
        {
            var (s, t) = (i / queries, i % queries);
            var visible = causal ? fresh - queries + t + 1 : fresh;
            for (var h = x.QOffset / headDim; h < (x.QOffset + cols) / headDim; h++)
            {
                var (qc, kc) = (h * headDim - x.QOffset, h / group * headDim - x.KvOffset);
                var max = double.NegativeInfinity;
                for (var u = 0; u < past + visible; u++)
                {
                    var (keys, row) = u < past ? (x.PastK, s * past + u) : (x.K, s * fresh + u - past);
                    var dot = 0.0;
                    for (var d = 0; d < headDim; d++) dot += x.Q[i * x.QCols + qc + d] * keys[row * x.KvCols + kc + d];
                    weights[u] = dot * scale;
                    max = Math.Max(max, weights[u]);
                }
                var sum = 0.0;
                for (var u = 0; u < past + visible; u++) sum += weights[u] = Math.Exp(weights[u] - max);
                for (var d = 0; d < headDim; d++)
                {
                    var acc = 0.0;
                    for (var u = 0; u < past + visible; u++)
                    {
                        var (values, row) = u < past ? (x.PastV, s * past + u) : (x.V, s * fresh + u - past);
                        acc += weights[u] * values[row * x.KvCols + kc + d];
                    }
                    result[i * cols + qc + d] = acc / sum;
                }
            }
        }
        return result;
    }
}
