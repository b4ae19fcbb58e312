using Sched.Language.Text;

namespace Sched.Language.Syntax;

/// <summary>The whole file: targets and programs.</summary>
public sealed record CompilationUnitSyntax(IReadOnlyList<TargetDeclarationSyntax> Targets,
    IReadOnlyList<ProgramDeclarationSyntax> Programs, TextSpan Span) : SyntaxNode(Span)
{
    /// <summary>The presets named by <c>use target NAME;</c>.</summary>
    public IReadOnlyList<IdentifierSyntax> Uses { get; init; } = [];
}

public sealed record TargetDeclarationSyntax(IdentifierSyntax Name, IReadOnlyList<TargetMemberSyntax> Members,
    TextSpan Span) : SyntaxNode(Span);

public abstract record TargetMemberSyntax(TextSpan Span) : SyntaxNode(Span);

/// <summary><c>clock 1 GHz;</c> or <c>tile 64;</c></summary>
public sealed record SettingSyntax(IdentifierSyntax Name, ExpressionSyntax Value, TextSpan Span) : TargetMemberSyntax(Span);

/// <summary><c>matrix mxu[2] { peak = 250 TFLOP/s; }</c></summary>
public sealed record ComponentSyntax(IdentifierSyntax Kind, IdentifierSyntax Name, ExpressionSyntax? Count,
    IReadOnlyList<PropertySyntax> Properties, TextSpan Span) : TargetMemberSyntax(Span);

/// <summary>
/// <c>link sbuf &lt;-&gt; mxu { bandwidth = 64 TB/s; }</c>, or between two chips: <c>link lpu[0] &lt;-&gt; lpu[3] { … }</c>
/// </summary>
public sealed record LinkSyntax(IdentifierSyntax From, IdentifierSyntax To, bool BothWays, IReadOnlyList<PropertySyntax> Properties,
    TextSpan Span) : TargetMemberSyntax(Span)
{
    public ExpressionSyntax? FromIndex { get; init; }
    public ExpressionSyntax? ToIndex { get; init; }
}

/// <summary><c>link lpu torus(4, 4) { bandwidth = 14 GB/s; latency = 1 us; }</c>: the links of a group of chips, by shape.</summary>
public sealed record TopologySyntax(IdentifierSyntax Group, IdentifierSyntax Shape, IReadOnlyList<ExpressionSyntax> Dimensions,
    IReadOnlyList<PropertySyntax> Properties, TextSpan Span) : TargetMemberSyntax(Span);

/// <summary><c>chip lpu[8] : groq.lpu;</c>: several copies of a preset, joined by chip-to-chip links.</summary>
public sealed record ChipSyntax(IdentifierSyntax Name, ExpressionSyntax Count, IdentifierSyntax Preset,
    TextSpan Span) : TargetMemberSyntax(Span);

/// <summary><c>capacity = 256 MB;</c>, optionally <c>@ int8</c></summary>
public sealed record PropertySyntax(IdentifierSyntax Name, ExpressionSyntax Value, IdentifierSyntax? Dtype,
    TextSpan Span) : SyntaxNode(Span);

public sealed record ProgramDeclarationSyntax(IdentifierSyntax Name, IReadOnlyList<ParameterSyntax> Parameters, IdentifierSyntax Target,
    IReadOnlyList<StatementSyntax> Body, TextSpan Span) : SyntaxNode(Span);

/// <summary><c>batch = 1</c>: a parameter with its default, overridable with <c>--set</c>.</summary>
public sealed record ParameterSyntax(IdentifierSyntax Name, ExpressionSyntax Value, TextSpan Span) : SyntaxNode(Span);
