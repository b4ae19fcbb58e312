using Sched.Language.Diagnostics;
using Sched.Language.Text;

namespace Sched.Language.Syntax;

/// <summary>A parsed file: its tree (empty when the text has syntax errors) and the syntax diagnostics.</summary>
public sealed record SyntaxTree(SourceText Source, CompilationUnitSyntax Root, IReadOnlyList<Diagnostic> Diagnostics)
{
    public static SyntaxTree Parse(SourceText source) => Parser.Parse(source);
}
