using Sched.FaultInjection;
using Sched.Runtime;
using Sched.Runtime.Targets.Kinds;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>Mutated schedules: the verifier catches every one that the independent reference checker calls invalid.</summary>
public class FaultInjectionTests
{
    [TestCase("hello.sched")]
    [TestCase("mlp.sched")]
    [TestCase("layers.sched")]
    [TestCase("decode.sched")]
    [TestCase("fiber.sched")]
    [TestCase("pnm.sched")]
    [TestCase("flash.sched")]
    [TestCase("stacked.sched")]
    [TestCase("cxl.sched")]
    public void No_mutation_is_missed(string name)
    {
        var compiled = Examples.Compile(name, FunctionalMode.On);
        var machine = compiled.Program!.Target.Machine;
        Assert.That(ReferenceChecker.IsValid(machine, compiled.Schedule!, out var why), Is.True, why);
        var random = new Random(11);
        var kinds = new HashSet<Mutation>();
        var detected = 0;
        for (var i = 0; i < 80; i++)
        {
            var (kind, mutated, what) = Mutator.Mutate(machine, compiled.Schedule!, random);
            kinds.Add(kind);
            var run = Host.Run(machine, mutated, []);
            if (run.Violations.Count > 0) { detected++; continue; }
            Assert.That(ReferenceChecker.IsValid(machine, mutated, out var reason), Is.True, $"missed: {what}: {reason}");
            Assert.That(run.Functional, Does.StartWith("ok"), what);
        }
        // A one-unit target has no other unit to move an instruction to.
        var expected = Enum.GetValues<Mutation>().Where(k => k != Mutation.MoveToAnotherUnit || machine.Units.Count > 1)
            .Where(k => k != Mutation.OffWindow || machine.Memories.Any(m => m.InReadingOrder))
            .Where(k => k != Mutation.CollideOnResource || SharedMemoryResource(machine, compiled.Schedule!))
            .Where(k => k != Mutation.MoveToAnotherRegion || machine.Memories.Any(m => m.Regions > 1))
            .Where(k => k != Mutation.PrefetchEarly || machine.Units.Any(u => u.HasBuffer));
        Assert.That(kinds, Is.EquivalentTo(expected));
        Assert.That(detected, Is.GreaterThan(40));
    }

    /// <summary>Whether two instructions hold one bank, die, channel, vault or port (else there is nothing to collide).</summary>
    private static bool SharedMemoryResource(Sched.Runtime.Targets.Machine machine, Sched.Runtime.Schedules.Schedule s) =>
        s.Instructions.Select(i => (i, Step: machine.StepOf(i, s.Tiles)))
            .Where(x => x.Step is { Resource: >= 0 })
            .GroupBy(x => machine.Holds(x.i, x.Step!.Value, s.Tiles)[^1])
            .Any(g => g.Count() > 1);

    [Test]
    public void The_reference_checker_rejects_what_the_verifier_rejects_on_the_hand_mutations()
    {
        var compiled = Examples.Compile("hello.sched");
        var machine = compiled.Program!.Target.Machine;
        var s = compiled.Schedule!;
        var matmul = s.Instructions.ToList().FindIndex(i => i.Op == Runtime.Schedules.Opcode.Matmul);
        var early = s.WithInstructions(s.Instructions.Select((ins, i) => i == matmul ? ins.WithCycle(ins.Cycle - 1) : ins).ToList());
        Assert.That(ReferenceChecker.IsValid(machine, early, out var reason), Is.False);
        Assert.That(reason, Does.Contain("before it is on mxu"));
    }
}
