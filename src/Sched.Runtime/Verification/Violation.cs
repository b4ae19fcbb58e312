using Sched.Runtime.Schedules;

namespace Sched.Runtime.Verification;

/// <summary>
/// A broken rule: at which cycle, on which unit, link or memory, and from which .sched line — or, when <see cref="File"/>
/// is set, from which line of that file (a stored schedule that is not the program's).
/// </summary>
public sealed record Violation(ViolationKind Kind, long Cycle, string Where, string Message, SourceLine Source, string? File = null)
{
    public string Render(string file) => File is { } other
        ? $"{other}({Source.Line},1): error {Kind.Code()}: {Message}"
        : $"{file}{Source}: error {Kind.Code()}: cycle {Cycle}, {Where}: {Message}";
}
