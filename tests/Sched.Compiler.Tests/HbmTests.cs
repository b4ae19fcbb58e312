using Sched.Language.Text;
using Sched.Runtime;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets.Kinds;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>HBM and DRAM: whole bursts on the links, channels that serve one transfer each at a time.</summary>
public class HbmTests
{
    private const string Source = """
        target Gpu {
            clock 1 GHz;
            tile 100;
            hbm    h   { capacity = 1 MB; channels = 4; burst = 256 B; latency = 10 cycles; }
            matrix mxu { peak = 1 TFLOP/s; }
            link   h <-> mxu { bandwidth = 64 GB/s; lanes = 4; }
        }
        program P on Gpu {
            input  x : int8[1, 100] in h;
            weight w : int8[100, 200] in h;
            let y = matmul(x, w) on mxu;
            output y;
        }
        """;

    [Test]
    public void Transfers_move_whole_bursts_and_tiles_spread_over_channels()
    {
        var compiled = Compilation.Compile(SourceText.From(Source, "hbm.sched"), new CompileOptions(Functional: FunctionalMode.On));
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        var machine = compiled.Program!.Target.Machine;
        var link = machine.Links.Single(l => l.Name == "h->mxu");
        var memory = machine.Memories.OfType<Dram>().Single();
        // 100 B is one 256 B burst: 4 cycles at 64 B a cycle, not 2; 10,000 B of weight tile is 40 bursts = 160 cycles.
        Tile Of(long bytes) => new(0, "t", "h", 0, bytes, 1, 1, true, "t", 0, 0);
        Instruction LoadOf(long bytes) => new(0, Opcode.Load, 0, machine.Links.ToList().IndexOf(link), [0], 0, bytes, 0, 0, 0, default);
        Assert.That((memory.Burst, machine.StepOf(LoadOf(100), [Of(100)])!.Value.Duration, machine.StepOf(LoadOf(10_000), [Of(10_000)])!.Value.Duration),
            Is.EqualTo((256L, 4L, 160L)));
        Assert.That((memory.Kind, memory.Regions), Is.EqualTo(("hbm", 4)));
        Assert.That(compiled.Schedule!.Tiles.Select(t => memory.Region(t.Address)).Distinct().Count(), Is.GreaterThan(1));
        var run = Host.Run(machine, compiled.Schedule, []);
        Assert.That(run.Violations, Is.Empty, run.Report);
        Assert.That(run.Functional, Does.StartWith("ok"));
        Assert.That(ReferenceChecker.IsValid(machine, compiled.Schedule, out var why), Is.True, why);
    }

    [Test]
    public void A_burst_that_is_not_a_size_is_a_unit_error()
    {
        var result = Compilation.Compile(SourceText.From(Source.Replace("burst = 256 B", "burst = 256 ns"), "hbm.sched"));
        Assert.That(result.Diagnostics.Single().Code, Is.EqualTo("SCH1004"));
    }
}
