using Sched.FaultInjection;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>Hand-mutated valid schedules: the verifier must reject each with the cycle, the unit and the .sched line.</summary>
public class MutationTests
{
    private CompileResult _mlp = null!;
    private Machine Machine => _mlp.Program!.Target.Machine;
    private Schedule Schedule => _mlp.Schedule!;

    [OneTimeSetUp]
    public void Compile() => _mlp = Examples.Compile("mlp.sched");

    private static Schedule Replace(Schedule s, int index, Instruction replacement) =>
        s.WithInstructions(s.Instructions.Select((ins, i) => i == index ? replacement : ins).ToList());

    [Test]
    public void The_unmutated_schedule_verifies() => Assert.That(Verifier.Verify(Machine, Schedule), Is.Empty);

    [Test]
    public void An_op_issued_before_its_operand_arrives_is_rejected()
    {
        var index = Schedule.Instructions.ToList().FindIndex(i => i.Op == Opcode.Matmul);
        var op = Schedule.Instructions[index];
        var early = op.WithCycle(op.Cycle - 1);
        var v = Verifier.Verify(Machine, Replace(Schedule, index, early)).First();
        Assert.That(v.Kind, Is.EqualTo(ViolationKind.DataNotReady));
        Assert.That(v.Cycle, Is.EqualTo(op.Cycle - 1));
        Assert.That(v.Where, Is.EqualTo(Machine.Units[op.Unit].Name));
        Assert.That(v.Source, Is.EqualTo(op.Source));
        Assert.That(v.Render("mlp.sched"), Does.StartWith($"mlp.sched({op.Source.Line},{op.Source.Column}): error SCH3003: cycle {op.Cycle - 1}, {Machine.Units[op.Unit].Name}:"));
    }

    [Test]
    public void Two_ops_on_one_unit_in_the_same_cycle_are_rejected()
    {
        var computes = Schedule.Instructions.Select((ins, i) => (ins, i)).Where(x => x.ins.Op == Opcode.Matmul).ToList();
        var (first, _) = computes[0];
        var (second, index) = computes.First(c => c.ins.Unit == first.Unit && c.ins != first);
        // Move the second op onto the first one's cycle, and make its operands already available there by
        // also keeping its loads: the only broken rule that can show first at that cycle is the unit conflict.
        var mutated = Replace(Schedule, index, second.WithCycle(first.Cycle));
        var violations = Verifier.Verify(Machine, mutated);
        var conflict = violations.Single(v => v.Kind == ViolationKind.UnitConflict);
        Assert.That(conflict.Cycle, Is.EqualTo(first.Cycle));
        Assert.That(conflict.Where, Is.EqualTo(Machine.Units[first.Unit].Name));
        Assert.That(conflict.Source, Is.EqualTo(second.Source));
    }

    [Test]
    public void Sram_over_capacity_is_rejected()
    {
        var memory = Machine.Memories[0];
        var highest = Schedule.Tiles.Max(t => t.Address + t.Bytes);
        var smaller = new Machine(Machine.Name, Machine.ClockHz, [memory with { Capacity = highest - 1 }], Machine.Units, Machine.Links);
        var violations = Verifier.Verify(smaller, Schedule);
        var overs = violations.Where(v => v.Kind == ViolationKind.OverCapacity).ToList();
        var atTop = Schedule.Tiles.Where(t => t.Address + t.Bytes == highest).ToList();
        Assert.That(overs, Has.Count.EqualTo(atTop.Count));
        foreach (var over in overs)
        {
            var tile = atTop.Single(t => over.Message.StartsWith(t.Name + " "));
            var writer = Schedule.Instructions.FirstOrDefault(i => i.Op == Opcode.Store && i.Result == tile.Id);
            Assert.That(over.Where, Is.EqualTo(memory.Name));
            Assert.That(over.Cycle, Is.EqualTo(tile.Resident ? 0 : writer!.Cycle));
            Assert.That(over.Source, Is.EqualTo(writer?.Source ?? tile.Origin));
            Assert.That(over.Source.Line, Is.GreaterThan(0));
        }
    }

    [Test]
    public void Moving_a_tile_onto_a_live_neighbour_is_rejected()
    {
        var computed = Schedule.Tiles.First(t => !t.Resident && Schedule.Instructions.Any(i => i.Op == Opcode.Store && i.Result == t.Id));
        var tiles = Schedule.Tiles.Select(t => t.Id == computed.Id ? t.WithAddress(0) : t).ToList();
        var v = Verifier.Verify(Machine, Schedule.WithTiles(tiles));
        Assert.That(v.Select(x => x.Kind), Does.Contain(ViolationKind.OverlappingAddresses));
    }
}
