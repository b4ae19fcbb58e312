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
/// windows; tiles across regions; memory capacity and overlapping live addresses; outputs never stored; phases out of order;
/// kernels overlapping on a unit with a launch gap.
/// </summary>
public static class Verifier
{
    public static IReadOnlyList<Violation> Verify(Machine machine, Schedule schedule, IReadOnlyList<PhaseLines>? phases = null) =>
        Check(machine, schedule, phases).Violations;

    /// <param name="phases">the program's phases in order, each run after the one before (a rule, and a chain for the bound)</param>
    public static Verification Check(Machine machine, Schedule schedule, IReadOnlyList<PhaseLines>? phases = null)
    {
        var kernels = new KernelOrder(machine, schedule);
        var pass = new VerifierPass(machine, schedule, phases ?? [], kernels);
        foreach (var ins in Timeline.InCycleOrder(schedule.Instructions)) pass.Check(ins);
        pass.CheckOutputs();
        pass.CheckPhases();
        MemoryCheck.Run(machine, schedule, pass.FirstWrite, pass.FirstWriter, pass.LastRead, pass.Makespan, pass.Report);
        BufferCheck.Run(machine, schedule, pass.Report);
        kernels.Check(pass.Report);
        var (bound, kind) = pass.Bound();
        return new Verification(pass.Violations, bound, kind);
    }
}
