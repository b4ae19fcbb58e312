using Sched.Runtime;
using Sched.Runtime.Targets.Kinds;
using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>The fibre delay loop: period and slots from the physics, reads only at the tap, layout in consumption order.</summary>
public class FiberTests
{
    [Test]
    public void The_loop_has_the_period_and_slots_its_length_and_rate_give()
    {
        var loop = Examples.Compile("fiber.sched").Program!.Target.Machine.Memories.OfType<Fiber>().Single();
        // ceil(2000 m × 1.468 / 299,792,458 m/s × 1 GHz) = ceil(9793.3) cycles; 2.048 Tb/s ÷ 8 ÷ 1 GHz = 256 B.
        Assert.That((loop.Period, loop.SlotBytes, loop.Capacity), Is.EqualTo((9794L, 256L, 9794L * 256)));
    }

    [Test]
    public void All_weights_stream_in_one_period_plus_pipeline_latency()
    {
        var compiled = Examples.Compile("fiber.sched");
        var result = Host.Run(compiled.Program!.Target.Machine, compiled.Schedule!, []);
        Assert.That(result.Violations, Is.Empty, result.Report);
        Assert.That(result.Replay.Cycles, Is.LessThanOrEqualTo(9794 + 100));
        Assert.That(result.Functional, Does.StartWith("ok"));
    }

    [Test]
    public void A_layout_that_differs_from_the_consumption_order_costs_whole_periods()
    {
        var source = Examples.Source("fiber.sched");
        var good = Compilation.Compile(source, new CompileOptions());
        var bad = Compilation.Compile(source, new CompileOptions(FiberInDeclarationOrder: true));
        var machine = good.Program!.Target.Machine;
        var goodCycles = Host.Run(machine, good.Schedule!, []).Replay.Cycles;
        var badRun = Host.Run(machine, bad.Schedule!, []);
        Assert.That(badRun.Violations.Where(v => v.Kind != ViolationKind.ContractFailed), Is.Empty);
        // The program reads layers in reverse; laid out forwards, each read waits most of a revolution.
        Assert.That(badRun.Replay.Cycles - goodCycles, Is.GreaterThanOrEqualTo(30L * 9794));
    }

    [Test]
    public void A_read_one_cycle_off_its_phase_is_rejected()
    {
        var compiled = Examples.Compile("fiber.sched");
        var machine = compiled.Program!.Target.Machine;
        var s = compiled.Schedule!;
        var index = s.Instructions.ToList().FindIndex(i => i.Op == Opcode.Load && s.Tiles[i.Result].Memory == "loop0" && i.Cycle > 0);
        var read = s.Instructions[index];
        var late = s.WithInstructions(s.Instructions.Select((ins, i) => i == index ? ins.WithCycle(ins.Cycle + 1) : ins).ToList());
        var v = Verifier.Verify(machine, late).First(x => x.Kind == ViolationKind.OffPhase);
        Assert.That((v.Cycle, v.Where, v.Source), Is.EqualTo((read.Cycle + 1, "loop0->mxu", read.Source)));
        Assert.That(v.Message, Does.Contain($"≡ {read.Cycle % 9794} (mod 9794)"));
        Assert.That(ReferenceChecker.IsValid(machine, late, out _), Is.False);
    }

    [Test]
    public void Writing_results_into_a_fibre_loop_is_a_diagnostic()
    {
        var text = File.ReadAllText(Path.Combine(Examples.Folder, "fiber.sched")).Replace("on mxu in sbuf", "on mxu in loop0")
            .Replace("link   loop0 -> mxu", "link   loop0 <-> mxu");
        var result = Compilation.Compile(Sched.Language.Text.SourceText.From(text, "f.sched"));
        Assert.That(result.Diagnostics.Select(d => d.Code), Is.EqualTo(new[] { "SCH1016" }));
        Assert.That(result.Diagnostics[0].Message, Does.Contain("fibre loop"));
    }
}
