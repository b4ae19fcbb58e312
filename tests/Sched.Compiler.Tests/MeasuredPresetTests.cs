using Sched.Language.Text;
using Sched.Runtime.Schedules;

namespace Sched.Compiler.Tests;

/// <summary>A measured preset: its floor's figures with named overheads, each printed in the report with its source.</summary>
public class MeasuredPresetTests
{
    [Test]
    public void The_measured_h100_streams_hbm_at_the_achieved_fraction_and_says_so()
    {
        const string text = """
            program P(d = 4096) on nvidia.h100.measured {
                input  x : fp16[1, d] in hbm;
                weight w : fp16[d, 1024] in hbm;
                let y = matmul(x, w);
                output y;
            }
            """;
        var compiled = Compilation.Compile(SourceText.From(text, "m.sched"));
        Assert.That(compiled.Diagnostics, Is.Empty);
        var s = compiled.Schedule!;
        Assert.That(s.Notes, Has.Some.StartsWith("nvidia.h100.measured: achievable HBM bandwidth 68.5% of 3.35 TB/s"));
        // The weight tile, 4096 × 1024 × 2 B = 8,388,608 B, at 3.35 TB/s × 1,397 / 2,039 ÷ 1.98 GHz = 1,159.2 B a cycle.
        var load = s.Instructions.Single(i => i.Op == Opcode.Load && s.Tiles[i.Result].Tensor == "w");
        var step = compiled.Program!.Target.Machine.StepOf(load, s.Tiles)!.Value;
        Assert.That(step.Duration, Is.EqualTo((long)Math.Ceiling(8388608 / (3.35e12 * 1397 / 2039 / 1.98e9))));
        // The launch gap: 5 µs at 1.98 GHz, named with its source.
        Assert.That(compiled.Program.Target.Machine.Units.Single().Launch, Is.EqualTo(9900));
        Assert.That(s.Notes, Has.Some.StartsWith("nvidia.h100.measured: kernel launch gap 5 µs"));
        Assert.That(s.Notes, Has.Some.Contains("pegainfer"));
    }

    [Test]
    public void The_measured_wafer_spreads_each_result_at_its_fabric_bandwidth()
    {
        const string text = """
            program P(d = 4096) on cerebras.wse3.measured {
                input  x : bf16[1, d] in sram;
                weight w : bf16[d, d] in sram;
                let y = matmul(x, w);
                output y;
            }
            """;
        var compiled = Compilation.Compile(SourceText.From(text, "w.sched"));
        Assert.That(compiled.Diagnostics, Is.Empty);
        var s = compiled.Schedule!;
        // Each 1,024-column block of y is 2,048 B: at 11.5 GB/s and the assumed 1 GHz, 178.1 cycles, far over its 8.4 MFLOP.
        var blocks = s.Instructions.Where(i => i.Op == Opcode.Matmul).ToList();
        Assert.That(blocks, Has.Count.EqualTo(4));
        Assert.That(blocks.Select(b => compiled.Program!.Target.Machine.StepOf(b, s.Tiles)!.Value.Duration), Has.All.EqualTo(179));
        Assert.That(s.Notes, Has.Some.StartsWith("cerebras.wse3.measured: result distribution over the fabric 11.5 GB/s"));
    }
}
