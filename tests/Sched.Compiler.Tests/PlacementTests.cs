using Sched.Language.Text;
using Sched.Runtime;

namespace Sched.Compiler.Tests;

/// <summary>When a program leaves out 'in' and 'on', the compiler places data and work itself and says what it chose.</summary>
public class PlacementTests
{
    [Test]
    public void Data_goes_to_the_fastest_memory_with_room_and_the_report_says_so()
    {
        const string source = """
            target Tiered {
                clock 1 GHz;
                tile 256;
                sram   sbuf { capacity = 256 KiB; latency = 2 cycles; }
                hbm    h    { capacity = 1 GB; channels = 4; burst = 64 B; latency = 50 cycles; }
                matrix mxu  { peak = 4 TFLOP/s; latency = 8 cycles; }
                vector vpu  { peak = 256 GFLOP/s; }
                link   sbuf <-> mxu { bandwidth = 1 TB/s; latency = 2 cycles; }
                link   sbuf <-> vpu { bandwidth = 256 GB/s; latency = 2 cycles; }
                link   h -> mxu { bandwidth = 100 GB/s; latency = 20 cycles; lanes = 4; }
            }
            program P(d = 512) on Tiered {
                input  x : bf16[1, d];
                weight w : bf16[d, d];
                let y = silu(matmul(x, w));
                output y;
            }
            """;
        var compiled = Compilation.Compile(SourceText.From(source, "tiered.sched"), new CompileOptions(Functional: FunctionalMode.On));
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        var notes = compiled.Schedule!.Notes;
        // x (1 KiB) fits the fast SRAM; w (512 KiB) does not, so it goes to HBM.
        Assert.That(notes, Does.Contain("x placed in sbuf (the fastest memory with room: 1000 B a cycle to its units)"));
        Assert.That(notes, Does.Contain("w placed in h (the fastest memory with room: 400 B a cycle to its units)"));
        Assert.That(notes, Does.Contain("operations without 'on' run on mxu (line 15)"));
        Assert.That(notes, Does.Contain("operations without 'on' run on vpu (line 15)"));
        var run = Host.Run(compiled.Program!.Target.Machine, compiled.Schedule, []);
        Assert.That(run.Violations, Is.Empty, run.Report);
        Assert.That(run.Functional, Does.StartWith("ok"));
    }

    [Test]
    public void Placement_is_its_own_stage_and_sched_check_runs_it()
    {
        // The binder accepts the program (names, shapes, dtypes); only placement knows that h has no link to vpu.
        const string source = """
            target T {
                clock 1 GHz;
                sram s { capacity = 1 MB; }
                hbm  h { capacity = 1 GB; }
                vector vpu { peak = 1 TFLOP/s; }
                link s <-> vpu { bandwidth = 64 GB/s; }
            }
            program P on T {
                input  x : fp16[1, 64] in s;
                weight w : fp16[1, 64] in h;
                let y = add(x, w) on vpu;
                output y;
            }
            """;
        var text = SourceText.From(source, "p.sched");
        var bound = Language.Binding.Binder.Bind(Language.Syntax.SyntaxTree.Parse(text));
        Assert.That(bound.Diagnostics, Is.Empty);
        var diagnostics = new Language.Diagnostics.DiagnosticBag(text);
        Assert.That(Placement.Placer.Place(bound.Program!, diagnostics), Is.Null);
        var d = Compilation.Check(text).Single();
        Assert.That((d.Code, d.Message, d.Location.Line), Is.EqualTo(("SCH1012", "the target has no link from h to vpu", 11)));
    }
}
