using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;
using Sched.Runtime.Targets.Kinds;
using Sched.Runtime.Verification;

namespace Sched.Runtime.Tests;

/// <summary>
/// The unit-buffer rule on a hand-built machine: one unit v with a 40 B buffer (1 FLOP a cycle), an SRAM s, links of 8 B a
/// cycle and 2 cycles' latency both ways. 16 B tiles: a load takes 2 cycles, an add of 16 elements 16 cycles.
/// </summary>
public class BufferRuleTests
{
    private static readonly Machine Machine = new("M", 1e9, [MemoryKinds.Create("sram", "s", 1e9, ("capacity", 1024))],
        [new ComputeUnit("v", "v", UnitKind.Vector, 1, 0, Buffer: 40)],
        [new Link("s->v", "s", "v", 8, 2, 1), new Link("v->s", "v", "s", 8, 2, 1)]);

    private static Tile T(int id, bool resident = true) => new(id, $"t{id}", "s", id * 64, 16, 1, 16, resident, $"t{id}", 0, 0);

    private static Instruction Load(long cycle, int tile) => new(cycle, Opcode.Load, 0, 0, [tile], tile, 16, 0, 0, 0, new SourceLine(1, 1));

    private static Instruction AddOf(long cycle, int a, int b, int result) =>
        new(cycle, Opcode.Add, 0, -1, [a, b], result, 0, 1, 0, 16, new SourceLine(2, 1));

    private static IReadOnlyList<Violation> Verify(params Instruction[] ins)
    {
        Tile[] tiles = [T(0), T(1), T(2), T(3, resident: false), T(4, resident: false)];
        var schedule = new Schedule("P", "p.sched", tiles, ins, [], 0, "", []);
        var violations = Verifier.Verify(Machine, schedule).Where(v => v.Kind == ViolationKind.BufferOverflow).ToList();
        Assert.That(ReferenceChecker.IsValid(Machine, schedule, out var why), Is.EqualTo(violations.Count == 0), why);
        if (violations.Count > 0) Assert.That(why, Does.Contain("buffer"));
        return violations;
    }

    [Test]
    public void Two_operands_and_a_result_fit_but_a_prefetched_third_operand_does_not()
    {
        // t0, t1 loaded at 0 and 2 (ready at 6); t3 = t0 + t1 from 6 to 22 holds 16 B more: 48 B > 40 B from cycle 6.
        var v = Verify(Load(0, 0), Load(2, 1), AddOf(6, 0, 1, 3)).Single();
        Assert.That((v.Kind, v.Cycle, v.Where), Is.EqualTo((ViolationKind.BufferOverflow, 6L, "v")));
    }

    [Test]
    public void A_copy_is_free_again_once_its_last_reader_ends()
    {
        // A 48 B buffer would be needed while t0, t1 and t3 coexist; with t1 loaded only after the add that last reads t2 ends, the
        // buffer never holds more than 32 B + the result.
        var big = new ComputeUnit("v", "v", UnitKind.Vector, 1, 0, Buffer: 48);
        var machine = new Machine("M", 1e9, Machine.Memories, [big], Machine.Links);
        Tile[] tiles = [T(0), T(1), T(2), T(3, resident: false), T(4, resident: false)];
        Instruction[] ins = [Load(0, 0), Load(2, 2), AddOf(6, 0, 2, 3), Load(22, 1), AddOf(26, 0, 1, 4)];
        var schedule = new Schedule("P", "p.sched", tiles, ins, [], 0, "", []);
        Assert.That(Verifier.Verify(machine, schedule).Where(v => v.Kind == ViolationKind.BufferOverflow), Is.Empty);
        // t2 (last read by the add ending at 22) is free when t1 arrives; t3 was never stored, so it is free at 22 too.
        Assert.That(ReferenceChecker.IsValid(machine, schedule, out var why), Is.True, why);
        // Loading t1 one cycle earlier overlaps t0, t2, t3 and t1: 64 B > 48 B.
        ins[3] = Load(21, 1);
        var late = new Schedule("P", "p.sched", tiles, ins, [], 0, "", []);
        Assert.That(Verifier.Verify(machine, late).Count(v => v.Kind == ViolationKind.BufferOverflow), Is.EqualTo(1));
        Assert.That(ReferenceChecker.IsValid(machine, late, out why), Is.False);
        Assert.That(why, Does.Contain("64 B"));
    }
}
