using Sched.Language.Text;
using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>A unit with a launch gap runs one operation at a time, the gap apart; the verifier holds schedules to it.</summary>
public class KernelLaunchTests
{
    private const string Source = """
        target Gpu {
            clock 1 GHz;
            tile 64;
            hbm    hbm { capacity = 1 GB; bandwidth = 64 GB/s; }
            matrix sm  { peak = 512 GFLOP/s; launch = 100 cycles; }
            link   hbm <-> sm { bandwidth = 64 GB/s; }
        }
        program K on Gpu {
            input  x : fp16[1, 128] in hbm;
            weight a : fp16[128, 128] in hbm;
            weight b : fp16[128, 128] in hbm;
            let y = matmul(x, a);
            let z = matmul(x, b);
            output y;
            output z;
        }
        """;

    private static CompileResult Compile(string text)
    {
        var compiled = Compilation.Compile(SourceText.From(text, "k.sched"), new CompileOptions(Functional: FunctionalMode.On));
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        return compiled;
    }

    // When an instruction's result has arrived: its cycle, its step's duration and latency, from the machine's rules.
    private static long End(CompileResult c, Instruction i)
    {
        var step = c.Program!.Target.Machine.StepOf(i, c.Schedule!.Tiles)!.Value;
        return i.Cycle + step.Duration + step.After;
    }

    [Test]
    public void The_second_operation_starts_the_gap_after_the_first_has_ended()
    {
        var compiled = Compile(Source);
        var s = compiled.Schedule!;
        // Line 12 is y = matmul(x, a) (its loads, two blocks and their stores); line 13 is z's, which also reuses x's loads.
        var firstEnd = s.Instructions.Where(i => i.Source.Line == 12).Max(i => End(compiled, i));
        var secondStart = s.Instructions.Where(i => i.Source.Line == 13).Min(i => i.Cycle);
        Assert.That(secondStart, Is.EqualTo(firstEnd + 100));
        var run = Emit.InProcess.Run(compiled);
        Assert.That(run.Passed, Is.True, run.Report);
        Assert.That(run.Functional, Does.StartWith("ok"));
        // Without the gap the two operations overlap: the weights of z stream while y computes.
        var free = Emit.InProcess.Run(Compile(Source.Replace(" launch = 100 cycles;", "")));
        Assert.That(free.Replay.Cycles, Is.LessThan(run.Replay.Cycles - 50));
    }

    [Test]
    public void The_verifier_rejects_an_operation_started_inside_the_gap()
    {
        var compiled = Compile(Source);
        var (s, machine) = (compiled.Schedule!, compiled.Program!.Target.Machine);
        Assert.That(Verifier.Verify(machine, s), Is.Empty);
        var moved = s.WithInstructions(s.Instructions.Select(i => i.Source.Line == 13 ? i.WithCycle(i.Cycle - 1) : i).ToList());
        var overlaps = Verifier.Verify(machine, moved).Where(v => v.Kind == ViolationKind.KernelOverlap).ToList();
        Assert.That(overlaps, Has.Count.EqualTo(1));
        Assert.That((overlaps[0].Where, overlaps[0].Source.Line), Is.EqualTo(("sm", 13)));
        Assert.That(overlaps[0].Message, Does.Contain("runs one operation at a time, 100 cycles apart"));
    }

    [Test]
    public void The_bound_counts_the_gap()
    {
        var compiled = Compile(Source);
        var (s, machine) = (compiled.Schedule!, compiled.Program!.Target.Machine);
        var gapless = new Runtime.Targets.Machine(machine.Name, machine.ClockHz, machine.Memories,
            machine.Units.Select(u => u with { Launch = 0 }).ToList(), machine.DeclaredLinks, machine.Networks);
        Assert.That(Verifier.Check(machine, s).Bound, Is.GreaterThanOrEqualTo(Verifier.Check(gapless, s).Bound + 100));
    }
}
