using Sched.Language.Text;

namespace Sched.Compiler.Tests;

/// <summary>Targets composed of presets: a compute preset beside a memory-tier preset, joined by a declared link.</summary>
public class ComposedTargetTests
{
    private const string Box = """
        target Box {
            chip gpu[1] : nvidia.h100;
            chip host[1] : host.ddr5;
            link host <-> gpu { bandwidth = 64 GB/s; }
        }
        program P(d = 4096) on Box {
            input  x : fp16[1, d] in gpu;
            weight w : fp16[d, d] in host;
            let y = matmul(x, w) on gpu in gpu;
            output y;
        }
        """;

    [Test]
    public void A_weight_in_host_memory_crosses_the_declared_link_at_its_bandwidth()
    {
        var compiled = Compilation.Compile(SourceText.From(Box, "box.sched"), new CompileOptions(Functional: FunctionalMode.On));
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        var machine = compiled.Program!.Target.Machine;
        // host.ddr5's figures (6 TB at 460.8 GB/s) become the memory host[0].dram.
        var dram = machine.Memories[machine.MemoryIndex("host[0].dram")];
        Assert.That(dram.Capacity, Is.EqualTo(6_000_000_000_000));
        var run = Emit.InProcess.Run(compiled);
        Assert.That(run.Passed, Is.True, run.Report);
        Assert.That(run.Functional, Does.StartWith("ok"));
        // 4096 × 4096 × 2 B = 33,554,432 B in four 1024-column tiles of 8,388,608 B; each crosses 64 GB/s at 1.98 GHz
        // (32.32 B a cycle) in ceil(259,522.56) = 259,523 cycles: 1,038,092 cycles of the link, the whole step but the matmul.
        var link = machine.Links.Select((l, i) => (l, i)).Single(p => p.l.Name == "host[0].dram->gpu[0].sm").i;
        Assert.That(run.Replay.LinkBytes[link], Is.EqualTo(33_554_432));
        Assert.That(run.Replay.LinkBusy[link], Is.EqualTo(4 * 259_523));
        Assert.That(machine.Seconds(run.Replay.Cycles), Is.EqualTo(33_554_432 / 64e9).Within(0.1).Percent);
    }

    [TestCase("chip ssd[1] : ⟦flash.nvme-gen5⟧;", "SCH1016", "flash.nvme-gen5 cannot be a chip yet",
        TestName = "a tier whose kind needs more figures")]
    [TestCase("chip host[1] : host.ddr5; ⟦link host <-> sbuf { bandwidth = 1 GB/s; }⟧", "SCH1011", "a link between groups",
        TestName = "a group linked to a plain memory")]
    public void Tier_mistakes_are_one_diagnostic_at_their_place(string member, string id, string message)
    {
        var plain = member.Replace("⟦", "").Replace("⟧", "");
        var text = "target T { clock 1 GHz; sram sbuf { capacity = 1 MB; } matrix mxu { peak = 1 TFLOP/s; } "
            + "link sbuf <-> mxu { bandwidth = 1 GB/s; } " + plain + " }\nprogram P on T { input x : int8[1, 4] in sbuf; output x; }";
        var at = text.IndexOf(plain, StringComparison.Ordinal) + member.IndexOf('⟦');
        var diagnostics = Compilation.Check(SourceText.From(text, "t.sched"));
        Assert.That(diagnostics.Select(d => d.Code), Is.EqualTo(new[] { id }), string.Join("\n", diagnostics.Select(d => d.Render())));
        Assert.That(diagnostics[0].Location.Span, Is.EqualTo(new TextSpan(at, member.IndexOf('⟧') - member.IndexOf('⟦') - 1)));
        Assert.That(diagnostics[0].Message, Does.Contain(message));
    }
}
