using Sched.Runtime;
using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>Processing near memory: operations on the device read at its internal bandwidth; the host pays the external link.</summary>
public class PnmTests
{
    [Test]
    public void The_device_streams_its_weights_internally_and_the_host_over_the_external_link()
    {
        var compiled = Examples.Compile("pnm.sched");
        var machine = compiled.Program!.Target.Machine;
        var run = Host.Run(machine, compiled.Schedule!, []);
        Assert.That(run.Violations, Is.Empty, run.Report);
        long Busy(string link) => run.Replay.LinkBusy[machine.Links.ToList().FindIndex(l => l.Name == link)];
        long Bytes(string link) => run.Replay.LinkBytes[machine.Links.ToList().FindIndex(l => l.Name == link)];
        // 4096 × 4096 int8 = 16,777,216 B: 32,768 cycles at 512 B a cycle inside, 524,288 at 32 B over the external link.
        Assert.That(Busy("aim->aim.pu"), Is.InRange(32_768, 33_000));
        Assert.That(Busy("aim->cpu"), Is.EqualTo(524_288));
        Assert.That(Bytes("aim->cpu"), Is.EqualTo(16_777_216), "only the host's operation crosses the external link");
    }

    [Test]
    public void A_pnm_operation_reading_over_the_external_link_is_caught()
    {
        var compiled = Examples.Compile("pnm.sched");
        var machine = compiled.Program!.Target.Machine;
        var s = compiled.Schedule!;
        var pu = machine.Units.ToList().FindIndex(u => u.Name == "aim.pu");
        var external = machine.Links.ToList().FindIndex(l => l.Name == "aim->cpu");
        var index = s.Instructions.ToList().FindIndex(i => i.Op == Opcode.Load && i.Unit == pu);
        var mutated = s.WithInstructions(s.Instructions.Select((ins, i) => i == index ? ins with { Link = external } : ins).ToList());
        var v = Verifier.Verify(machine, mutated).First();
        Assert.That(v.Kind, Is.EqualTo(ViolationKind.MalformedInstruction));
        Assert.That(v.Message, Does.Contain("over aim->cpu, which does not run from aim to aim.pu"));
    }

    [Test]
    public void A_pnm_device_cannot_read_host_memory()
    {
        var text = File.ReadAllText(Path.Combine(Examples.Folder, "pnm.sched")).Replace("let near = matmul(x, w) on aim;", "let near = matmul(xh, w) on aim;");
        var result = Compilation.Compile(Sched.Language.Text.SourceText.From(text, "p.sched"));
        Assert.That(result.Diagnostics.Select(d => d.Code + ": " + d.Message).ToList(), Is.EqualTo(new[] { "SCH1012: the target has no link from host to aim" }));
    }
}
