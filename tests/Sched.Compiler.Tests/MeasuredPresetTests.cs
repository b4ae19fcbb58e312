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
    }
}
