using Sched.Compiler.Lowering;
using Sched.Language.Binding;
using Sched.Runtime.Execution;
using Sched.Runtime.Operations;

namespace Sched.Compiler.Evaluation;

/// <summary>
/// Evaluates a bound program on whole tensors, knowing nothing of tiles, units or cycles: the reference that
/// functional mode holds a schedule's outputs to. Matmul sums k from 0 upward, the order the tile kernels use.
/// </summary>
public static class ReferenceInterpreter
{
    /// <param name="sumOrder">each collective's summation order (true: a tree's), as lowering chose it; null: by sizes alone</param>
    public static IReadOnlyDictionary<string, double[]> Evaluate(BoundProgram program, Func<BoundCollective, bool?>? sumOrder = null) =>
        ProgramWalk.Outputs(program, Seed, (op, args) => Apply(program, op, args),
            (c, parts) => Collect(program, c, parts, sumOrder?.Invoke(c)),
            (whole, v) => whole[(v.From * v.Type.Cols)..((v.From + v.Rows) * v.Type.Cols)]);

    /// <summary>A collective's steps block by block (<see cref="CollectivePlan"/>), so sums are added in the schedule's order.</summary>
    private static double[] Collect(BoundProgram program, BoundCollective c, double[][] parts, bool? byTree)
    {
        if (c.Parts is null) return parts[0];   // a broadcast copies
        var (rows, cols, width) = (c.Parts.Type.Rows, c.Parts.Type.Cols, program.Target.TileWidth);
        var blocks = (cols + width - 1) / width;
        double[] Block(double[] whole, int j) =>
            Enumerable.Range(0, rows).SelectMany(r => whole.Skip(r * cols + j * width).Take(Math.Min(width, cols - j * width))).ToArray();
        var plan = CollectivePlan.Of(c, parts.Length, blocks, byTree ?? CollectivePlan.ByTree(c.Sums, parts.Length, blocks)
            ? CollectivePlan.Algorithm.Tree : CollectivePlan.Algorithm.Ring);
        var values = plan.Run((k, j) => Block(parts[k], j), (_, a, b) => a.Zip(b, (x, y) => x + y).ToArray(), (_, a) => a);
        var result = new double[c.Type.Rows * c.Type.Cols];
        for (var r = 0; r < plan.Final.GetLength(1); r++)
        {
            var (block, w) = (values[plan.Final[0, r]], Math.Min(width, c.Type.Cols - r * width));
            for (var row = 0; row < rows; row++) Array.Copy(block, row * w, result, row * c.Type.Cols + r * width, w);
        }
        return result;
    }

    private static double[] Seed(TensorSymbol symbol, int layer)
    {
        var t = symbol.Type;
        var v = new double[t.Rows * t.Cols];
        for (var r = 0; r < t.Rows; r++)
            for (var c = 0; c < t.Cols; c++)
                v[r * t.Cols + c] = InitialValues.Value(symbol.Name, layer, r, c);
        return v;
    }

    private static double[] Apply(BoundProgram program, BoundOperation op, double[][] args)
    {
        var shapes = Growth<double[]>.Shapes(op, args.Length);
        return OperationCatalogue.Of(op.Op).Evaluate(new Call(shapes, op.Settings, program.Target.TileWidth), args);
    }
}
