using Sched.Language.Text;

namespace Sched.Language.Syntax;

/// <summary>The statements of a program body.</summary>
public abstract record StatementSyntax(TextSpan Span) : SyntaxNode(Span);

/// <summary><c>int8[n, n]</c></summary>
public sealed record TensorTypeSyntax(IdentifierSyntax Dtype, IReadOnlyList<ExpressionSyntax> Dimensions, TextSpan Span) : SyntaxNode(Span);

/// <summary><c>input x : bf16[1, d] in sbuf;</c>, <c>weight w : …</c> or <c>cache k : …</c> (the keyword is the kind).</summary>
public sealed record TensorDeclarationSyntax(string Kind, IdentifierSyntax Name, TensorTypeSyntax Type, IdentifierSyntax? Memory,
    TextSpan Span) : StatementSyntax(Span)
{
    /// <summary>The chip of a group it lives on: <c>in lpu[2]</c>.</summary>
    public ExpressionSyntax? Chip { get; init; }

    /// <summary><c>in lpu[*]</c>: layer k on chip k mod the group's size (a sharded weight for tensor parallelism).</summary>
    public TextSpan? EachChip { get; init; }
}

/// <summary><c>let h = expr in sbuf;</c></summary>
public sealed record LetSyntax(IdentifierSyntax Name, ExpressionSyntax Value, IdentifierSyntax? Memory,
    TextSpan Span) : StatementSyntax(Span)
{
    public ExpressionSyntax? Chip { get; init; }
}

/// <summary><c>h = expr;</c></summary>
public sealed record AssignmentSyntax(IdentifierSyntax Name, ExpressionSyntax Value, IdentifierSyntax? Memory,
    TextSpan Span) : StatementSyntax(Span)
{
    public ExpressionSyntax? Chip { get; init; }
}

public sealed record OutputSyntax(IdentifierSyntax Name, TextSpan Span) : StatementSyntax(Span);

/// <summary><c>for l in 0 .. layers { … }</c>, the upper end excluded.</summary>
public sealed record ForSyntax(IdentifierSyntax Variable, ExpressionSyntax Lower, ExpressionSyntax Upper,
    IReadOnlyList<StatementSyntax> Body, TextSpan Span) : StatementSyntax(Span);

/// <summary><c>repeat tokens { … }</c>: a steady-state step run <c>Count</c> times, which the compiler may software-pipeline.</summary>
public sealed record RepeatSyntax(ExpressionSyntax Count, IReadOnlyList<StatementSyntax> Body, TextSpan Span) : StatementSyntax(Span);

/// <summary><c>assert cycles &lt;= 1.05 * bound;</c></summary>
public sealed record AssertSyntax(ExpressionSyntax Condition, TextSpan Span) : StatementSyntax(Span);

/// <summary><c>predict measured against published;</c>: a figure beside a published one, printed with their ratio, never failing.</summary>
public sealed record PredictSyntax(ExpressionSyntax Measured, ExpressionSyntax Published, TextSpan Span) : StatementSyntax(Span);

/// <summary><c>kcache[l] = k;</c>: one layer of a stacked cache takes a computed value (prefill filling the KV cache).</summary>
public sealed record LayerAssignmentSyntax(IdentifierSyntax Name, ExpressionSyntax Index, ExpressionSyntax Value, TextSpan Span)
    : StatementSyntax(Span);

/// <summary><c>phase prefill { … }</c>: a named part of the program whose end the report and contracts measure.</summary>
public sealed record PhaseSyntax(IdentifierSyntax Name, IReadOnlyList<StatementSyntax> Body, TextSpan Span) : StatementSyntax(Span);

/// <summary><c>block layer(h, l) { … return h; }</c>: statements written once and inlined at every call, with their parameters bound
/// to the call's arguments (a tensor, or a loop variable or number for indexing).</summary>
public sealed record BlockSyntax(IdentifierSyntax Name, IReadOnlyList<IdentifierSyntax> Parameters, IReadOnlyList<StatementSyntax> Body,
    ExpressionSyntax Result, TextSpan Span) : StatementSyntax(Span);
