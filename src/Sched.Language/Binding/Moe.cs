using Sched.Language.Diagnostics;
using Sched.Language.Syntax;
using Sched.Runtime.Operations;
using Sched.Runtime.Reporting;
using Sched.Runtime.Targets;

namespace Sched.Language.Binding;

/// <summary>
/// <c>moe(x, wg, wu, wd, top_k, skew, seed)</c>: a SwiGLU mixture of experts over stacked expert weights [experts, d, ffn] and
/// [experts, ffn, d], routed statically (<see cref="Routing"/>). The binder writes it out as ordinary operations: for each expert
/// some token chose, its tokens' rows and the expert's FFN on them; then one combine adds every expert's rows back at their tokens
/// (gate weights are left out: an elementwise scale). So only routed experts' weights are read, and lowering, the verifier and the
/// interpreters see nothing new.
/// </summary>
public static class Moe
{
    public const string Name = "moe";

    public static IReadOnlyList<Setting> Settings { get; } =
    [
        new("top_k", 2, 1, 1 << 16, "experts each token is sent to"),
        new("skew", 0, 0, 1000, "hundredths of the exponent s of the routing's 1 ÷ (e + 1)^s popularity (0: uniform)"),
        new("seed", 1, 0, int.MaxValue, "the routing's random seed"),
    ];
}

public sealed partial class Binder
{
    private BoundTensorExpression? BindMoe(CallSyntax call, IdentifierSyntax? memory)
    {
        if (call.Arguments.Count != 4)
        {
            _diagnostics.ReportWrongArgumentCount(call.Span, Moe.Name, [4], call.Arguments.Count);
            return null;
        }
        if (BindSettings(call, Moe.Name, Moe.Settings) is not { } settings) return null;
        if (BindTensor(call.Arguments[0], null) is not { } x) return null;
        var weights = new List<TensorSymbol>();
        foreach (var argument in call.Arguments.Skip(1))
        {
            if (argument is not NameSyntax n || Lookup(n.Name, "weight") is not TensorSymbol { Type.IsStacked: true } w)
            {
                _diagnostics.ReportNotATensor(argument.Span,
                    "moe takes its experts' weights whole: a stacked weight [experts, rows, cols]");
                return null;
            }
            weights.Add(w);
        }
        var (wg, wu, wd) = (weights[0], weights[1], weights[2]);
        var experts = wg.Type.Layers;
        if (wu.Type != wg.Type || wd.Type.Layers != experts || wd.Type.Rows != wg.Type.Cols || wd.Type.Cols != x.Type.Cols
            || wg.Type.Rows != x.Type.Cols || weights.Any(w => w.Type.Dtype != x.Type.Dtype))
        {
            _diagnostics.ReportShapeMismatch(call.Span,
                $"moe needs x [tokens, d], wg and wu [experts, d, ffn], wd [experts, ffn, d] of one "
                + $"dtype, not {x.Type}, {wg.Type}, {wu.Type}, {wd.Type}");
            return null;
        }
        if (settings[0] > experts)
        {
            _diagnostics.ReportInvalidValue(call.Span, $"moe's top_k {settings[0]} is more than its {experts} experts");
            return null;
        }
        var routing = Routing.Assign(x.Type.Rows, experts, (int)settings[0], settings[1] / 100.0, (ulong)settings[2]);
        Note(call, routing, experts, wg);
        return Expand(call, memory, x, wg, wu, wd, routing);
    }

    private BoundTensorExpression Expand(CallSyntax call, IdentifierSyntax? memory, BoundTensorExpression x, TensorSymbol wg,
        TensorSymbol wu, TensorSymbol wd, int[][] routing)
    {
        BoundOperation Op(Operation op, TensorType type, IReadOnlyList<long> settings, params BoundTensorExpression[] args) =>
            new(op.Opcode, args, null, null, type, call.Span)
            {
                Settings = settings,
                RowChunk = op.RowChunk(new Call([.. args.Select(a => new Shape(a.Type.Dtype, a.Type.Rows, a.Type.Cols))], settings,
                    _target.TileWidth), SmallestBuffer(op.Unit, null)),
            };
        BoundLayer Layer(TensorSymbol w, int e) => new(w, new BoundIndexConstant(e, call.Span), call.Span);
        var parts = new List<BoundTensorExpression>();
        var targets = new List<long> { x.Type.Rows };
        var (d, ffn, dtype) = (x.Type.Cols, wg.Type.Cols, x.Type.Dtype);
        var experts = Enumerable.Range(0, routing.Length).Where(e => routing[e].Length > 0).ToList();
        // Permute first, as MoE kernels do: one gather reads x once and writes every expert's tokens together, expert by expert.
        var order = experts.SelectMany(e => routing[e]).Select(r => (long)r).ToArray();
        var permuted = new TensorSymbol($"moe@{_source.Location(call.Span).Line}:{call.Span.Start}.tokens", TensorKind.Variable,
            new TensorType(dtype, order.Length, d), null, call.Span);
        var permute = new BoundAssignment(permuted, Op(new GatherRows(), permuted.Type, order, x), call.Span);
        var start = 0;
        foreach (var e in experts)
        {
            var rows = routing[e].Select(r => (long)r).ToArray();
            var n = rows.Length;
            var tokens = new BoundRowView(new BoundTensorReference(permuted, call.Span), start, n, call.Span);
            start += n;
            var gate = Op(new Matmul(), new TensorType(dtype, n, ffn), [], tokens, Layer(wg, e));
            var up = Op(new Matmul(), new TensorType(dtype, n, ffn), [], tokens, Layer(wu, e));
            var hidden = Op(new Mul(), new TensorType(dtype, n, ffn), [], Op(new Silu(), new TensorType(dtype, n, ffn), [], gate), up);
            parts.Add(Op(new Matmul(), new TensorType(dtype, n, d), [], hidden, Layer(wd, e)));
            targets.AddRange(rows);
        }
        // One combine reads each expert's output once; an 'in' on the moe call places it.
        var combined = Op(new ScatterRows(), new TensorType(dtype, x.Type.Rows, d), targets, [.. parts]);
        return new BoundBlockCall([permute], memory is null ? combined : combined with { Memory = memory.Text, MemorySpan = memory.Span },
            call.Span);
    }

    private void Note(CallSyntax call, int[][] routing, int experts, TensorSymbol wg)
    {
        var counts = routing.Where(r => r.Length > 0).Select(r => r.Length).ToList();
        var line = _source.Location(call.Span).Line;
        var bytes = wg.Type.Dtype.Bytes(wg.Type.Elements) * 3.0;
        _notes.Add($"moe at line {line}: {counts.Count} of {experts} experts touched, tokens an expert {counts.Min()}–{counts.Max()} "
            + $"(mean {counts.Average():0.#}); their weights {Quantity.Bytes(bytes * counts.Count)} of {Quantity.Bytes(bytes * experts)}");
    }
}
