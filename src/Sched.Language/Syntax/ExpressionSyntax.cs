using Sched.Language.Text;

namespace Sched.Language.Syntax;

/// <summary>Expressions: shapes and parameters, tensor operations, and contract conditions share one form.</summary>
public abstract record ExpressionSyntax(TextSpan Span) : SyntaxNode(Span);

/// <summary><c>3.35 TB/s</c> or <c>64</c>: a number and the text of its unit, if any.</summary>
public sealed record LiteralSyntax(string Number, string? Unit, TextSpan UnitSpan, TextSpan Span) : ExpressionSyntax(Span);

public sealed record NameSyntax(IdentifierSyntax Name) : ExpressionSyntax(Name.Span);

/// <summary><c>matmul(h, w[l]) on mxu</c>; named arguments (<c>head_dim = 128</c>) are the operation's settings.</summary>
public sealed record CallSyntax(IdentifierSyntax Callee, IReadOnlyList<ExpressionSyntax> Arguments, IdentifierSyntax? Unit,
    TextSpan Span) : ExpressionSyntax(Span)
{
    public IReadOnlyList<NamedArgumentSyntax> Settings { get; init; } = [];

    /// <summary>The chip of a group it runs on: <c>on lpu[l % 4]</c>.</summary>
    public ExpressionSyntax? Chip { get; init; }
}

/// <summary><c>head_dim = 128</c> inside a call.</summary>
public sealed record NamedArgumentSyntax(IdentifierSyntax Name, ExpressionSyntax Value, TextSpan Span) : SyntaxNode(Span);

/// <summary><c>w[l]</c>: one layer of a stacked weight.</summary>
public sealed record IndexSyntax(ExpressionSyntax Target, ExpressionSyntax Index, TextSpan Span) : ExpressionSyntax(Span);

public sealed record UnarySyntax(string Operator, ExpressionSyntax Operand, TextSpan Span) : ExpressionSyntax(Span);

public sealed record BinarySyntax(ExpressionSyntax Left, string Operator, TextSpan OperatorSpan, ExpressionSyntax Right,
    TextSpan Span) : ExpressionSyntax(Span);
