using Sched.Runtime;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>A compiled program run and held to every check: no diagnostics, no violations, the reference's values, and the
/// reference checker's own books.</summary>
internal static class Checked
{
    public static (Runtime.Targets.Machine Machine, Runtime.Schedules.Schedule Schedule, RunResult Run) Run(CompileResult compiled)
    {
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        var (machine, schedule) = (compiled.Program!.Target.Machine, compiled.Schedule!);
        var run = Host.Run(machine, schedule, []);
        Assert.That(run.Violations, Is.Empty, run.Report);
        Assert.That(run.Functional, Does.StartWith("ok"), run.Report);
        Assert.That(ReferenceChecker.IsValid(machine, schedule, out var why), Is.True, why);
        return (machine, schedule, run);
    }
}
