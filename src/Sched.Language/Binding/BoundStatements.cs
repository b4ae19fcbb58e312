using Sched.Language.Text;

namespace Sched.Language.Binding;

public abstract record BoundStatement(TextSpan Span);

/// <summary>An input or weight: resident in its memory before the step starts.</summary>
public sealed record BoundTensorDeclaration(TensorSymbol Symbol) : BoundStatement(Symbol.Span);

/// <summary><c>let</c> or reassignment: the variable now names the value.</summary>
public sealed record BoundAssignment(TensorSymbol Variable, BoundTensorExpression Value, TextSpan Span) : BoundStatement(Span);

/// <summary><c>for v in lower .. upper</c>, the upper end excluded.</summary>
public sealed record BoundFor(LoopVariable Variable, long Lower, long Upper, IReadOnlyList<BoundStatement> Body,
    TextSpan Span) : BoundStatement(Span);

/// <summary><c>repeat n { … }</c>: the body runs <see cref="Count"/> times; iterations may overlap (modulo scheduling).</summary>
public sealed record BoundRepeat(long Count, IReadOnlyList<BoundStatement> Body, TextSpan Span) : BoundStatement(Span);

/// <summary><c>output v;</c>: the variable's value at this point is a result of the program.</summary>
public sealed record BoundOutput(TensorSymbol Variable, TextSpan Span) : BoundStatement(Span);

/// <summary><c>cache[l] = value;</c>: from here on, layer <see cref="Index"/> of the cache is the value.</summary>
public sealed record BoundLayerAssignment(TensorSymbol Cache, BoundIndex Index, BoundTensorExpression Value, TextSpan Span)
    : BoundStatement(Span);

/// <summary><c>phase NAME { … }</c> over source lines [<see cref="FirstLine"/>, <see cref="LastLine"/>].</summary>
public sealed record BoundPhase(string Name, int FirstLine, int LastLine, IReadOnlyList<BoundStatement> Body, TextSpan Span)
    : BoundStatement(Span);
