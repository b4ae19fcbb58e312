using Sched.Language.Text;
using Sched.Runtime.Schedules;

namespace Sched.Language.Binding;

/// <summary>
/// A program checked against its target: parameters fixed, tensors typed; where data and work go is the placement stage's.
/// </summary>
public sealed record BoundProgram(
    string Name,
    SourceText Source,
    BoundTarget Target,
    IReadOnlyDictionary<string, double> Parameters,
    IReadOnlyList<BoundStatement> Body,
    IReadOnlyList<BoundAssert> Asserts)
{
    /// <summary>
    /// Tokens a run makes, for <c>tokens_per_s</c>: the rows of the first output (one a sequence), times the repeat count.
    /// </summary>
    public double Tokens { get; init; } = 1;

    /// <summary>Where the program's name is written: what a diagnostic about the whole program points at.</summary>
    public TextSpan NameSpan { get; init; }

    /// <summary>What binding decided that the report should say (e.g. a moe's routing).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The phases written at the top of the program, in order, by their lines: each runs after the one before.</summary>
    public IReadOnlyList<PhaseLines> Phases => Body.OfType<BoundPhase>()
        .Select(p => new PhaseLines(p.Name, p.FirstLine, p.LastLine)).ToList();
}
