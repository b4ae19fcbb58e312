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
    public static IReadOnlyDictionary<string, double[]> Evaluate(BoundProgram program)
    {
        var values = new Dictionary<TensorSymbol, double[]>();
        var outputs = new Dictionary<string, double[]>();
        var loops = new Dictionary<LoopVariable, long>();
        Run(program.Body);
        return outputs;

        void Run(IReadOnlyList<BoundStatement> statements)
        {
            foreach (var statement in statements)
                switch (statement)
                {
                    case BoundTensorDeclaration d when !d.Symbol.Type.IsStacked:
                        values[d.Symbol] = Seed(d.Symbol, 0);
                        break;
                    case BoundAssignment a:
                        values[a.Variable] = Value(a.Value);
                        break;
                    case BoundFor f:
                        for (var i = f.Lower; i < f.Upper; i++)
                        {
                            loops[f.Variable] = i;
                            Run(f.Body);
                        }
                        break;
                    case BoundRepeat r:
                        for (var i = 0; i < r.Count; i++) Run(r.Body);
                        break;
                    case BoundOutput o:
                        outputs[o.Variable.Name] = values[o.Variable];
                        break;
                }
        }

        double[] Value(BoundTensorExpression e) => e switch
        {
            BoundTensorReference r => values[r.Symbol],
            BoundLayer l => Seed(l.Weight, (int)l.Index.Evaluate(loops)),
            BoundOperation op => Apply(op, op.Arguments.Select(Value).ToArray()),
            _ => throw new InvalidOperationException($"unexpected {e.GetType().Name}"),
        };
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

    private static double[] Apply(BoundOperation op, double[][] args) =>
        OperationCatalogue.Of(op.Op).Evaluate(args, op.Arguments.Select(a => new Shape(a.Type.Dtype, a.Type.Rows, a.Type.Cols)).ToArray());
}
