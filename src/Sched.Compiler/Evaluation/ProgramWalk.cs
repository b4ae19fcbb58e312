using Sched.Language.Binding;

namespace Sched.Compiler.Evaluation;

/// <summary>
/// Runs a bound program's statements in order — declarations, assignments, loops, repeats, outputs — over values of any
/// kind: numbers for the reference interpreter, symbols for the symbolic one. Each says only what a resident tensor
/// (or one layer of it) is, what an operation makes of its operands' values, a collective of its parts and rows of a value.
/// </summary>
internal static class ProgramWalk
{
    public static IReadOnlyDictionary<string, T> Outputs<T>(BoundProgram program, Func<TensorSymbol, int, T> resident,
        Func<BoundOperation, T[], T> apply, Func<BoundCollective, T[], T> collective, Func<T, BoundRowView, T> rows)
    {
        var values = new Dictionary<TensorSymbol, T>();
        var outputs = new Dictionary<string, T>();
        var loops = new Dictionary<LoopVariable, long>();
        var layers = new Dictionary<(TensorSymbol, long), T>();   // cache layers a program has filled
        var growth = new Growth<T>();
        Run(program.Body);
        return outputs;

        void Run(IReadOnlyList<BoundStatement> statements)
        {
            foreach (var statement in statements)
                switch (statement)
                {
                    case BoundTensorDeclaration d when !d.Symbol.Type.IsStacked:
                        values[d.Symbol] = resident(d.Symbol, 0);
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
                        growth.Forget();
                        for (var i = 0; i < r.Count; i++) Run(r.Body);
                        break;
                    case BoundPhase p:
                        Run(p.Body);
                        break;
                    case BoundLayerAssignment a:
                        layers[(a.Cache, a.Index.Evaluate(loops))] = Value(a.Value);
                        break;
                    case BoundOutput o:
                        outputs[o.Variable.Name] = values[o.Variable];
                        break;
                }
        }

        T Inline(BoundBlockCall call)
        {
            Run(call.Body);
            return Value(call.Result);
        }

        T Value(BoundTensorExpression e) => e switch
        {
            BoundTensorReference r => values[r.Symbol],
            BoundLayer l => layers.TryGetValue((l.Weight, l.Index.Evaluate(loops)), out var filled) ? filled
                : resident(l.Weight, (int)l.Index.Evaluate(loops)),
            BoundOperation op => apply(op, [.. growth.Extend(op, loops, [.. op.Arguments.Select(Value)])]),
            BoundBlockCall call => Inline(call),
            BoundRowView v => rows(Value(v.Source), v),
            BoundCollective { Parts: { } parts } c => collective(c, Enumerable.Range(0, parts.Type.Layers).Select(k =>
                layers.TryGetValue((parts, k), out var part) ? part : resident(parts, k)).ToArray()),
            BoundCollective { Source: { } source } c => collective(c, [Value(source)]),
            _ => throw new InvalidOperationException($"unexpected {e.GetType().Name}"),
        };
    }
}
