using Sched.Compiler.Lowering;
using Sched.Language.Binding;
using Sched.Runtime.Operations;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Evaluation;

/// <summary>
/// Evaluates a bound program on symbols instead of numbers, column block by column block of the target's tile width: what
/// each output tile must hold as a formula of the inputs (<see cref="Symbol"/>). It knows nothing of lowering, units,
/// cycles or addresses — only the operations' own tiling — so the verifier can hold any schedule's dataflow to it.
/// </summary>
public static class SymbolicInterpreter
{
    /// <param name="sumOrder">each collective's summation order (true: a tree's), as lowering chose it; null: by sizes alone</param>
    public static IReadOnlyDictionary<string, ulong[]> Evaluate(BoundProgram program, Func<BoundCollective, bool?>? sumOrder = null)
    {
        var width = program.Target.TileWidth;
        // Rows of rows are rows of the first value and all its rows are it, as the verifier sees them (a view's parent is never a
        // view).
        var windows = new Dictionary<ulong, (ulong Whole, int From)>();
        ulong Window(ulong whole, int from, int rows, int wholeRows)
        {
            if (windows.TryGetValue(whole, out var inner)) (whole, from) = (inner.Whole, inner.From + from);
            else if (from == 0 && rows == wholeRows) return whole;
            var window = Symbol.Window(whole, from, rows);
            windows[window] = (whole, from);
            return window;
        }
        return ProgramWalk.Outputs(program, (symbol, layer) => Resident(symbol, layer, width), (op, args) => Apply(op, args, width, Window),
            (c, parts) => Collect(program, c, parts, sumOrder?.Invoke(c)),
            (blocks, v) => [.. blocks.Select(b => Window(b, v.From, v.Rows, v.Source.Type.Rows))]);
    }

    private static ulong[] Resident(TensorSymbol symbol, int layer, int width)
    {
        var t = symbol.Type;
        return Blocks(t.Cols, width).Select(b => Symbol.Resident(symbol.Name, layer, b.Offset, t.Rows, b.Width)).ToArray();
    }

    /// <summary>Each output block: the operation says which operand blocks it reads and its M×K×N.</summary>
    private static ulong[] Apply(BoundOperation op, ulong[][] args, int width, Func<ulong, int, int, int, ulong> window)
    {
        var operation = OperationCatalogue.Of(op.Op);
        if (operation.Identity) return args[0];
        var call = new Call(Growth<ulong>.Shapes(op, args.Length), op.Settings, width) { RowChunk = op.RowChunk };
        // Blocks are named by index into one table, so the operation's tiling rule picks symbols as it picks tiles.
        var table = args.SelectMany(a => a).ToArray();
        var rows = args.SelectMany((a, k) => a.Select(_ => call.Shapes[k].Rows)).ToArray();
        var indices = new List<int[]>();
        var next = 0;
        foreach (var a in args) { indices.Add(Enumerable.Range(next, a.Length).ToArray()); next += a.Length; }
        return Blocks(op.Type.Cols, width).Select((b, j) =>
        {
            var (state, pieces) = (0UL, new List<ulong>());   // each step after the first reads the state the one before made
            foreach (var work in operation.Steps(call, indices, j))
            {
                state = Symbol.Computed(op.Op, work.M, work.K, work.N, work.Args, op.Type.Dtype, work.Operands.Select((i, n) =>
                    i == Work.State ? state : work.Windows?[n] is { } w ? window(table[i], w.From, w.Rows, rows[i]) : table[i]));
                if (work.ResultRows is not null) pieces.Add(state);
            }
            return pieces.Count > 0 ? Symbol.Rows(pieces) : state;   // a block made rows apart holds its pieces in row order
        }).ToArray();
    }

    /// <summary>A collective's steps on symbols: an add of two blocks as the add instruction that lowering makes; a copy keeps its
    /// symbol.</summary>
    private static ulong[] Collect(BoundProgram program, BoundCollective c, ulong[][] parts, bool? byTree)
    {
        if (c.Parts is null) return parts[0];   // a broadcast copies, and a copy keeps its symbol
        var (width, layer) = (program.Target.TileWidth, c.Parts.Type.Layer);
        var plan = CollectivePlan.Of(c, parts.Length, parts[0].Length,
            byTree ?? CollectivePlan.ByTree(c.Sums, parts.Length, parts[0].Length)
                ? CollectivePlan.Algorithm.Tree : CollectivePlan.Algorithm.Ring);
        var add = OperationCatalogue.Of(Runtime.Schedules.Opcode.Add);
        var values = plan.Run((k, j) => parts[k][j], (step, a, b) =>
        {
            var shape = new Shape(layer.Dtype, layer.Rows, Math.Min(width, layer.Cols - step.Block * width));
            var work = add.Block(new Call([shape, shape], [], width), [[0], [1]], 0);
            return Symbol.Computed(add.Opcode, work.M, work.K, work.N, work.Args, layer.Dtype, [a, b]);
        }, (_, a) => a);
        return Enumerable.Range(0, plan.Final.GetLength(1)).Select(r => values[plan.Final[0, r]]).ToArray();
    }

    private static IEnumerable<(int Offset, int Width)> Blocks(int cols, int width)
    {
        for (var offset = 0; offset < cols; offset += width)
            yield return (offset, Math.Min(width, cols - offset));
    }
}
