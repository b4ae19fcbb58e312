using Sched.Language.Text;

namespace Sched.Language.Binding;

/// <summary>What a named tensor is: resident before the step (an input, a weight, a KV cache) or computed (a variable).</summary>
public enum TensorKind { Input, Weight, Cache, Variable }

/// <summary>
/// A named tensor: an input or weight (resident before the step starts) or a <c>let</c> variable. <see cref="Memory"/> is the
/// user's <c>in</c>, or null where the placement stage chooses.
/// </summary>
public sealed record TensorSymbol(string Name, TensorKind Kind, TensorType Type, string? Memory, TextSpan Span)
{
    /// <summary>Layer k on chip k mod the group's size (<c>in lpu[*]</c>), rather than filling the chips in order.</summary>
    public bool OneLayerEachChip { get; init; }
}

/// <summary>The variable of a <c>for</c> loop; it takes integer values.</summary>
public sealed record LoopVariable(string Name, TextSpan Span);

/// <summary>A <c>block</c>: its syntax, bound anew (inlined) at every call, and the names it sees (those declared before it).</summary>
public sealed record BlockSymbol(Syntax.BlockSyntax Syntax, IReadOnlyDictionary<string, object> Scope);
