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
/// k, v (and past k, past v) that hold its KV heads. Keys are read in windows of <c>kv_chunk</c> rows (flash attention's
/// blocks; by default as many as half the unit's buffer holds), one step each, with an online softmax: a step hands the next a
/// state of running sums, maxima and sums of weights (fp32, in the unit's buffer); the last step divides. Without a chunk a
/// block is one step over whole tiles. Kernel and reference run the same windows through one update, so both sum in one
/// order. Args: [head_dim, query heads a KV head, block's first column, first KV column read, sequences, causal, past rows a
/// sequence, new rows a sequence, tiles read of each of k and v, continues a state, finishes, then (part: 0 past, 1 new, 2 + j what
/// step j of a repeat made before this one; first row; rows) for each window]; operands: q's block, the state if continuing, then
/// each window's k tiles and v tiles.</para>
/// <para>With <c>grows = 1</c>, inside a <c>repeat</c> each step also attends over the new keys and values of the steps before it,
/// after the cache's and before its own: a KV cache that grows by one step's rows a step, read where each step stored them.</para>
/// </summary>
public sealed class Attention : Operation
{
    public override string Name => "attention";
    public override Opcode Opcode => Opcode.Attention;
    public override int Arity => 3;
    public override IReadOnlyList<int> Arities => [3, 5];
    public override UnitKind Unit => UnitKind.Matrix;
    public override string Summary =>
        "attention(q, k, v[, past_k, past_v], head_dim, sequences, causal, kv_chunk): GQA attention over a KV cache";

    public override IReadOnlyList<Setting> Settings { get; } =
    [
        new("head_dim", 128, 1, 1 << 16, "columns a head"),
        new("sequences", 0, 0, int.MaxValue, "sequences the rows split into (0: every query row its own sequence)"),
        new("causal", 0, 0, 1, "1: a query sees only new keys up to its own position"),
        new("kv_chunk", -1, -1, int.MaxValue, "rows of a key tile a step reads (0: all at once; -1: what half the unit's buffer holds)"),
        new("grows", 0, 0, 1, "1: in a repeat, each step also attends over the keys and values of the steps before it"),
    ];

    public override bool Grows(IReadOnlyList<long> settings) => settings.Count > 4 && settings[4] == 1;

    /// <summary>A step's new keys and values: the cache grows by them.</summary>
    public override IReadOnlyList<int> Remembered => [1, 2];

    private const int Fixed = 11;   // args before the windows

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
        if (call.Shapes.Skip(5).Any(s => s != k))
            return new ShapeError(false, $"attention: keys and values earlier steps made must have k's shape {k}");
        if (call.Shapes.Count >= 5 && (call.Shapes[3].Cols != k.Cols || call.Shapes[4] != call.Shapes[3]))
            return new ShapeError(false, $"attention needs past_k and past_v with k's {k.Cols} columns and one shape, not "
                + $"{call.Shapes[3]} and {call.Shapes[4]}");
        if (call.Shapes.Skip(1).Any(s => s.Rows % sequences != 0) || q.Rows % sequences != 0)
            return new ShapeError(false, $"attention: the rows of q, k and v must split into {sequences} sequences");
        return null;
    }

    /// <summary>kv_chunk -1 becomes the rows whose k and v windows, beside the step's q block, state and result, fill half the
    /// buffer (the other half takes the next windows as they load); 0 when everything fits at once or the buffer is unbounded.</summary>
    public override IReadOnlyList<long> Resolve(Call call, long buffer)
    {
        if (call[3] >= 0 || Check(call) is not null) return call.Settings;
        var (q, k) = (call.Shapes[0], call.Shapes[1]);
        var (dtype, width) = (q.Dtype, Math.Min(call.TileWidth, q.Cols));
        var heads = width / call[0];
        var kvWidth = Math.Min(k.Cols, ((long)(heads + q.Cols / k.Cols - 1) / (q.Cols / k.Cols) * call[0] / call.TileWidth + 2)
            * call.TileWidth);
        var rows = call.Shapes.Skip(1).Where((_, i) => i % 2 == 0).Sum(s => (long)s.Rows);   // k, past k, then earlier steps' k
        var around = 2 * dtype.Bytes((long)q.Rows * width) + 2 * 4L * q.Rows * (width + 2 * heads);
        var room = buffer / 2 - around;   // too little room for one row: no chunk, and lowering says what does not fit
        var chunk = buffer == long.MaxValue || around + 2 * dtype.Bytes(rows * kvWidth) <= buffer || room < 2 * dtype.Bytes(kvWidth) ? 0
            : room / (2 * dtype.Bytes(kvWidth));
        return [.. call.Settings.Take(3), chunk, .. call.Settings.Skip(4)];
    }

    public override double Flops(int m, int k, int n, int[] args)
    {
        var (headDim, sequences, causal, past, fresh) = (args[0], args[4], args[5] == 1, args[6], args[7]);
        var queries = m / Math.Max(1, sequences);
        var pairs = 0.0;
        for (var w = Fixed; w + 2 < args.Length; w += 3)
            pairs += Pairs(queries, args[w] == 0 ? past : fresh, causal && args[w] == 1, args[w + 1], args[w + 2]);
        return pairs * (4.0 * n + 5.0 * n / headDim);
    }

    /// <summary>(query, key) pairs a window of rows [from, from + rows) sees: every query of a key's sequence, or with causal
    /// new keys, the queries at or after it (key u of a sequence is seen by min(queries, fresh − u) of them).</summary>
    private static double Pairs(int queries, int perSequence, bool causal, int from, int rows)
    {
        if (!causal) return (double)queries * rows;
        var pairs = 0.0;
        for (var at = from; at < from + rows;)
        {
            var (s, u) = (at / perSequence, at % perSequence);
            var end = Math.Min(from + rows, (s + 1) * perSequence) - s * perSequence;   // [u, end) of sequence s
            var free = Math.Clamp(perSequence - queries + 1, u, end);                   // keys every query sees end here
            pairs += (double)queries * (free - u) + (double)(end - free) * perSequence - ((double)free + end - 1) * (end - free) / 2;
            at = s * perSequence + end;
        }
        return pairs;
    }

    public override Work Block(Call call, IReadOnlyList<int[]> operandTiles, int block) => Steps(call, operandTiles, block)[^1];

    public override IReadOnlyList<Work> Steps(Call call, IReadOnlyList<int[]> operandTiles, int block)
    {
        var (q, k) = (call.Shapes[0], call.Shapes[1]);
        var headDim = (int)call[0];
        var sequences = call[1] == 0 ? q.Rows : (int)call[1];
        var (offset, width) = Columns(call, q.Cols, block);
        var group = q.Cols / k.Cols;
        var (firstKv, endKv) = (offset / headDim / group * headDim, ((offset + width) / headDim - 1) / group * headDim + headDim);
        var kvTiles = operandTiles.Skip(1).Select(t => Covering(t, call.TileWidth, firstKv, endKv).ToArray()).ToArray();
        var (past, fresh) = (call.Shapes.Count >= 5 ? call.Shapes[3].Rows / sequences : 0, k.Rows / sequences);
        var each = kvTiles[0].Length;
        var windows = Windows(call, sequences, past, fresh);
        List<List<(int Part, int From, int Rows)>> steps = call[3] > 0 ? windows.Select(w => new List<(int, int, int)> { w }).ToList()
            : [windows];
        var state = width + 2 * (width / headDim);
        return steps.Select((ws, n) =>
        {
            var operands = new List<int> { operandTiles[0][block] };
            var cut = new List<RowWindow?> { null };
            if (n > 0) { operands.Add(Work.State); cut.Add(null); }
            foreach (var (part, from, rows) in ws)
            {
                var whole = from == 0 && rows == sequences * (part == 0 ? past : fresh);
                var (keys, values) = Operands(part);
                foreach (var t in kvTiles[keys - 1].Concat(kvTiles[values - 1]))
                {
                    operands.Add(t);
                    cut.Add(whole ? null : new RowWindow(from, rows));
                }
            }
            var last = n == steps.Count - 1;
            int[] args = [headDim, group, offset, firstKv / call.TileWidth * call.TileWidth, sequences, (int)call[2], past, fresh, each,
                n > 0 ? 1 : 0, last ? 1 : 0, .. ws.SelectMany(w => new[] { w.Part, w.From, w.Rows })];
            return new Work([.. operands], q.Rows, ws.Sum(w => w.Rows), width, args)
                { Windows = cut.Any(c => c is not null) ? [.. cut] : null, StateCols = last ? 0 : state };
        }).ToList();
    }

    /// <summary>The operands that hold a part's keys and values: 0 the cache, 1 this step's new ones, 2 + j what step j made before
    /// it in a repeat (grows = 1).</summary>
    private static (int Keys, int Values) Operands(int part) => part switch { 0 => (3, 4), 1 => (1, 2), _ => (2 * part + 1, 2 * part + 2) };

    /// <summary>The windows keys are read in, in order: the cache's rows, those earlier steps made, then the new ones, each cut every
    /// kv_chunk rows.</summary>
    private static List<(int Part, int From, int Rows)> Windows(Call call, int sequences, int past, int fresh)
    {
        var windows = new List<(int, int, int)>();
        var grown = Enumerable.Range(2, Math.Max(0, (call.Shapes.Count - 5) / 2)).Select(p => (p, sequences * fresh));
        foreach (var (part, total) in new[] { (0, sequences * past) }.Concat(grown).Append((1, sequences * fresh)))
        {
            var chunk = call[3] > 0 ? (int)Math.Min(call[3], int.MaxValue) : Math.Max(1, total);
            for (var from = 0; from < total; from += chunk) windows.Add((part, from, Math.Min(chunk, total - from)));
        }
        return windows;
    }

    public override bool Fits(Instruction ins, IReadOnlyList<Tile> operands, Tile result)
    {
        var a = ins.Args;
        if (a.Length < Fixed + 3 || (a.Length - Fixed) % 3 != 0 || a[0] <= 0 || a[1] <= 0 || a[4] <= 0 || a[8] <= 0 || a[6] < 0
            || a[7] < 0 || a[9] is not (0 or 1) || a[10] is not (0 or 1) || a[5] is not (0 or 1)) return false;
        var (headDim, sequences, each, continues) = (a[0], a[4], a[8], a[9]);
        var windows = (a.Length - Fixed) / 3;
        var state = ins.N + 2 * (ins.N / Math.Max(1, headDim));
        if (operands.Count != 1 + continues + windows * 2 * each || ins.M % sequences != 0 || ins.N % headDim != 0
            || a[2] % headDim != 0 || a[3] < 0) return false;
        if (operands[0].Rows != ins.M || operands[0].Cols != ins.N || continues == 1 && (operands[1].Rows != ins.M
            || operands[1].Cols != state) || result.Rows != ins.M || result.Cols != (a[10] == 1 ? ins.N : state)) return false;
        var keys = 0L;
        for (var w = 0; w < windows; w++)
        {
            var (part, from, rows) = (a[Fixed + 3 * w], a[Fixed + 3 * w + 1], a[Fixed + 3 * w + 2]);
            var total = (long)sequences * (part == 0 ? a[6] : a[7]);
            var tiles = operands.Skip(1 + continues + w * 2 * each).Take(2 * each).ToList();
            var kvCols = tiles.Take(each).Sum(t => t.Cols);
            if (part < 0 || part == 0 && a[6] == 0 || from < 0 || rows <= 0 || from + (long)rows > total || tiles.Any(t => t.Rows != rows)
                || kvCols != tiles.Skip(each).Sum(t => t.Cols) || !HeadsInside(ins, kvCols)) return false;
            keys += rows;
        }
        return ins.K == keys;
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
        var a = ins.Args;
        var (each, continues) = (a[8], a[9]);
        var shape = new Heads(ins.M, ins.N, a[2], a[0], a[1], a[4], a[5] == 1, a[6], a[7]);
        var state = continues == 1 ? (double[])operands[1].Values.Clone() : shape.NewState();
        for (var w = 0; w * 3 + Fixed < a.Length; w++)
        {
            var at = 1 + continues + w * 2 * each;
            var rows = a[Fixed + 3 * w + 2];
            var keys = SideBySide(operands.Skip(at).Take(each), rows);
            var values = SideBySide(operands.Skip(at + each).Take(each), rows);
            shape.Update(state, operands[0].Values, new Keys(keys.Values, values.Values, keys.Cols, a[3], a[Fixed + 3 * w],
                a[Fixed + 3 * w + 1], rows, a[Fixed + 3 * w + 1]));
        }
        return a[10] == 1 ? shape.Finish(state) : state;
    }

    public override double[] Evaluate(Call call, IReadOnlyList<double[]> operands)
    {
        var (q, k) = (call.Shapes[0], call.Shapes[1]);
        var sequences = call[1] == 0 ? q.Rows : (int)call[1];
        var (past, fresh) = (call.Shapes.Count >= 5 ? call.Shapes[3].Rows / sequences : 0, k.Rows / sequences);
        var shape = new Heads(q.Rows, q.Cols, 0, (int)call[0], q.Cols / k.Cols, sequences, call[2] == 1, past, fresh);
        var state = shape.NewState();
        foreach (var (part, from, rows) in Windows(call, sequences, past, fresh))
        {
            var (keys, values) = Operands(part);
            shape.Update(state, operands[0], new Keys(operands[keys], operands[values], k.Cols, 0, part, from, rows, 0));
        }
        return shape.Finish(state);
    }

    /// <summary>Keys and values (row-major, column 0 is KV column <paramref name="KvOffset"/>, row 0 is the part's row
    /// <paramref name="Base"/>) and the window of the part's rows [From, From + Rows) to read.</summary>
    private sealed record Keys(double[] K, double[] V, int Cols, int KvOffset, int Part, int From, int Rows, int Base);

    /// <summary>The queries' shape: rows, the block's columns from <paramref name="Offset"/>, heads and sequences. A state row is
    /// the running weighted sums of values (cols), then each head's running maximum score, then its running sum of weights.</summary>
    private sealed record Heads(int Rows, int Cols, int Offset, int HeadDim, int Group, int Sequences, bool Causal, int Past, int Fresh)
    {
        private int Count => Cols / HeadDim;
        private int Stride => Cols + 2 * Count;

        public double[] NewState()
        {
            var state = new double[Rows * Stride];
            for (var i = 0; i < Rows; i++) Array.Fill(state, double.NegativeInfinity, i * Stride + Cols, Count);
            return state;
        }

        /// <summary>Every query's keys inside the window, in order: rescale what was summed to the new maximum, add the window.</summary>
        public void Update(double[] state, double[] q, Keys x)
        {
            var queries = Rows / Sequences;
            var perSequence = x.Part == 0 ? Past : Fresh;
            var scale = 1 / Math.Sqrt(HeadDim);
            var weights = new double[x.Rows];
            for (var i = 0; i < Rows; i++)
            {
                var (s, t) = (i / queries, i % queries);
                var visible = x.Part == 1 && Causal ? Fresh - queries + t + 1 : perSequence;
                var (lo, hi) = (Math.Max(x.From, s * perSequence), Math.Min(x.From + x.Rows, s * perSequence + visible));
                for (var h = 0; h < Count && lo < hi; h++)
                {
                    var (qc, kc) = (h * HeadDim, (Offset / HeadDim + h) / Group * HeadDim - x.KvOffset);
                    var (maxAt, sumAt) = (i * Stride + Cols + h, i * Stride + Cols + Count + h);
                    var max = state[maxAt];
                    for (var u = lo; u < hi; u++)
                    {
                        var dot = 0.0;
                        var row = (u - x.Base) * x.Cols + kc;
                        for (var d = 0; d < HeadDim; d++) dot += q[i * Cols + qc + d] * x.K[row + d];
                        weights[u - lo] = dot * scale;
                        max = Math.Max(max, weights[u - lo]);
                    }
                    var rescale = Math.Exp(state[maxAt] - max);
                    var sum = state[sumAt] * rescale;
                    for (var u = lo; u < hi; u++) sum += weights[u - lo] = Math.Exp(weights[u - lo] - max);
                    (state[maxAt], state[sumAt]) = (max, sum);
                    for (var d = 0; d < HeadDim; d++)
                    {
                        var acc = state[i * Stride + qc + d] * rescale;
                        for (var u = lo; u < hi; u++) acc += weights[u - lo] * x.V[(u - x.Base) * x.Cols + kc + d];
                        state[i * Stride + qc + d] = acc;
                    }
                }
            }
        }

        public double[] Finish(double[] state)
        {
            var result = new double[Rows * Cols];
            for (var i = 0; i < Rows; i++)
                for (var c = 0; c < Cols; c++)
                    result[i * Cols + c] = state[i * Stride + c] / state[i * Stride + Cols + Count + c / HeadDim];
            return result;
        }
    }
}
