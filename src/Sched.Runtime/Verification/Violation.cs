using Sched.Runtime.Schedules;

namespace Sched.Runtime.Verification;

/// <summary>A broken rule: at which cycle, on which unit, link or memory, and from which .sched line.</summary>
public sealed record Violation(ViolationKind Kind, long Cycle, string Where, string Message, SourceLine Source)
{
    public string Render(string file) =>
        $"{file}{Source}: error {Kind.Code()}: cycle {Cycle}, {Where}: {Message}";
}
