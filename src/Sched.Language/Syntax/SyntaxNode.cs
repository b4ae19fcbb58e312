using Sched.Language.Text;

namespace Sched.Language.Syntax;

/// <summary>Every node of the syntax tree knows the source span it covers.</summary>
public abstract record SyntaxNode(TextSpan Span);

/// <summary>A name as written, with where it was written.</summary>
public sealed record IdentifierSyntax(string Text, TextSpan Span) : SyntaxNode(Span);
