using Sched.Language.Binding;
using Sched.Runtime.Operations;

namespace Sched.Compiler.Evaluation;

/// <summary>
/// What the steps of a <c>repeat</c> made before this one, for an operation that reads it (attention with <c>grows = 1</c>: a KV
/// cache that grows by each step's keys and values). Kept per operation and per loop position (layer l grows with layer l's
/// keys), and forgotten when a repeat begins. The interpreters and lowering each keep one, over their own kind of value.
/// </summary>
internal sealed class Growth<T>
{
    private readonly Dictionary<BoundOperation, Dictionary<string, List<T>>> _made = new(ReferenceEqualityComparer.Instance);

    public void Forget() => _made.Clear();

    /// <summary>The operands with what earlier steps made at this loop position appended; remembers this step's.</summary>
    public IReadOnlyList<T> Extend(BoundOperation op, IReadOnlyDictionary<LoopVariable, long> loops, IReadOnlyList<T> args)
    {
        var operation = OperationCatalogue.Of(op.Op);
        if (!operation.Grows(op.Settings)) return args;
        var at = string.Join(',', loops.OrderBy(l => l.Key.Name, StringComparer.Ordinal).Select(l => l.Value));
        var byPosition = _made.TryGetValue(op, out var d) ? d : _made[op] = [];
        var earlier = byPosition.TryGetValue(at, out var l) ? l : byPosition[at] = [];
        var extended = args.Concat(earlier).ToList();
        earlier.AddRange(operation.Remembered.Select(i => args[i]));
        return extended;
    }

    /// <summary>The shapes of an operation's operands, with those earlier steps made (each the shape of what it remembers).</summary>
    public static Shape[] Shapes(BoundOperation op, int count)
    {
        var remembered = OperationCatalogue.Of(op.Op).Remembered;
        return [.. Enumerable.Range(0, count).Select(i => op.Arguments[i < op.Arguments.Count ? i
            : remembered[(i - op.Arguments.Count) % remembered.Count]].Type).Select(t => new Shape(t.Dtype, t.Rows, t.Cols))];
    }
}
