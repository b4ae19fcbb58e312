using Sched.Runtime.Execution;
using Sched.Runtime.Operations;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;
using Sched.Runtime.Targets.Kinds;

namespace Sched.Runtime.Verification;

/// <summary>What verifying a schedule found: the broken rules, and a lower bound derived from the schedule and the machine alone.</summary>
public sealed record Verification(IReadOnlyList<Violation> Violations, long Bound, string BoundKind);

/// <summary>
/// Checks a schedule against the machine model alone: every duration, arrival and resource comes from the step the
/// machine's kinds give each instruction, never from the compiler's bookkeeping. Rules: unit, lane, bank, die, channel
/// and vault conflicts; data read before it is written or has arrived; steps of an access out of order; periodic
/// windows; tiles across regions; memory capacity and overlapping live addresses; outputs never stored.
/// </summary>
public static class Verifier
{
    public static IReadOnlyList<Violation> Verify(Machine machine, Schedule schedule) => Check(machine, schedule).Violations;

    public static Verification Check(Machine machine, Schedule schedule)
    {
        var pass = new VerifierPass(machine, schedule);
        foreach (var ins in Timeline.InCycleOrder(schedule.Instructions)) pass.Check(ins);
        pass.CheckOutputs();
        MemoryCheck.Run(machine, schedule, pass.FirstWrite, pass.FirstWriter, pass.LastRead, pass.Makespan, pass.Report);
        BufferCheck.Run(machine, schedule, pass.Report);
        var (bound, kind) = pass.Bound();
        return new Verification(pass.Violations, bound, kind);
    }
}
