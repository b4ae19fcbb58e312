using Sched.Compiler;
using Sched.Compiler.Verification;
using Sched.Runtime;
using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Cli.Commands;

/// <summary>How `sched verify --schedule` judged an edited stored file, and whether that judgement was right.</summary>
internal enum Judged { Rejected, Harmless, WronglyAccepted }

/// <summary>
/// Verifies an edited stored schedule as `sched verify --schedule` does (read against the program, then replay), and
/// judges it: rejected (a read error or any violation), or accepted — harmless only when the independent reference
/// checker finds the schedule valid and, where values are checked, they equal the reference interpreter's.
/// </summary>
internal static class StoredVerdict
{
    public static (Judged Verdict, string Detail) Judge(CompileResult compiled, string text)
    {
        // The program's outputs, values and symbols were computed once when it compiled; each case reuses them.
        var stored = StoredSchedule.Check(compiled.Program!.Target.Machine, compiled.Lowered!, compiled.Schedule!.Outputs, text,
            "edited.schedule");
        if (stored.Unreadable is { } why) return (Judged.Rejected, $"unreadable: {why}");
        var machine = compiled.Program!.Target.Machine;
        var run = Host.Run(machine, stored.Schedule!, [], stored.Mismatches);
        if (run.Violations.Count > 0) return (Judged.Rejected, run.Violations[0].Kind.Code());
        if (!ReferenceChecker.IsValid(machine, stored.Schedule!, out var reason)) return (Judged.WronglyAccepted, reason);
        return run.Functional.StartsWith("FAILED", StringComparison.Ordinal)
            ? (Judged.WronglyAccepted, "the values differ") : (Judged.Harmless, "accepted, and both checkers agree");
    }

    /// <summary>The stored text form of a compiled program's schedule.</summary>
    public static string Text(CompileResult compiled) => ScheduleText.Write(compiled.Program!.Target.Machine, compiled.Schedule!);
}
