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
    public static IReadOnlyDictionary<string, double[]> Evaluate(BoundProgram program) =>
        ProgramWalk.Outputs(program, Seed, (op, args) => Apply(program, op, args));

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
        var shapes = op.Arguments.Select(a => new Shape(a.Type.Dtype, a.Type.Rows, a.Type.Cols)).ToArray();
        return OperationCatalogue.Of(op.Op).Evaluate(new Call(shapes, op.Settings, program.Target.TileWidth), args);
    }
}
