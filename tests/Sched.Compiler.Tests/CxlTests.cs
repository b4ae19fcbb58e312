using Sched.Language.Text;
using Sched.Runtime.Targets.Kinds;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>A CXL memory expander: one port at the device's bandwidth, and a load-to-use latency on every access.</summary>
public class CxlTests
{
    private static CompileResult Compile(string text) =>
        Compilation.Compile(SourceText.From(text, "cxl.sched"), new CompileOptions(Functional: FunctionalMode.On));

    private static string Example => File.ReadAllText(Path.Combine(Examples.Folder, "cxl.sched"));

    [Test]
    public void The_example_matches_its_hand_count()
    {
        var compiled = Examples.Compile("cxl.sched", FunctionalMode.On);
        var machine = compiled.Program!.Target.Machine;
        var expander = machine.Memories.OfType<Cxl>().Single();
        Assert.That((expander.Latency, expander.PortBytesPerCycle), Is.EqualTo((500, 18.0)));
        var run = Emit.InProcess.Run(compiled);
        Assert.That((run.Violations.Count, run.Replay.Cycles, run.Functional[..2]), Is.EqualTo((0, 117_541L, "ok")), run.Report);
        Assert.That(ReferenceChecker.IsValid(machine, compiled.Schedule!, out var why), Is.True, why);
    }

    [Test]
    public void The_port_carries_one_transfer_at_a_time()
    {
        var compiled = Examples.Compile("cxl.sched");
        var (machine, s) = (compiled.Program!.Target.Machine, compiled.Schedule!);
        var loads = s.Instructions.Select((ins, i) => (ins, i)).Where(x => s.Tiles[x.ins.Result].Memory == "exp").ToList();
        var moved = s.WithInstructions(s.Instructions.Select((ins, i) => i == loads[1].i ? ins.WithCycle(loads[0].ins.Cycle) : ins)
            .OrderBy(i => i.Cycle).ToList());
        var v = Verifier.Verify(machine, moved);
        Assert.That(v.Select(x => (x.Kind, x.Where)), Does.Contain((ViolationKind.ChannelConflict, "exp.port")));
        Assert.That(ReferenceChecker.IsValid(machine, moved, out _), Is.False);
    }

    [Test]
    public void The_same_weight_in_local_dram_is_six_times_faster()
    {
        var local = Compile(Example.Replace("weight cold : fp16[d, d] in exp;", "weight cold : fp16[d, d] in ddr;").Replace("assert cycles == 117541;", ""));
        Assert.That(local.Diagnostics, Is.Empty, string.Join("\n", local.Diagnostics.Select(d => d.Render())));
        // All eight tiles over the one DDR5 link: 8 × 2,276 = 18,208, +200 latency, then the last matmul and store (+329).
        Assert.That(Emit.InProcess.Run(local).Replay.Cycles, Is.EqualTo(18_737L));
    }

    [Test]
    public void An_expander_without_its_latency_is_a_diagnostic()
    {
        var d = Compilation.Check(SourceText.From(Example.Replace(" latency = 250 ns; }", " }"), "cxl.sched")).Single();
        Assert.That(d.Message, Does.Contain("needs 'latency'"));
    }
}
