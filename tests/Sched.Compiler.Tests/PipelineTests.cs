using Sched.Compiler.Evaluation;
using Sched.Language.Text;
using Sched.Runtime;
using Sched.Runtime.Execution;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

public class PipelineTests
{
    [Test]
    public void Hello_takes_the_94_cycles_its_comment_derives()
    {
        var hello = Examples.Compile("hello.sched");
        var result = Host.Run(hello.Program!.Target.Machine, hello.Schedule!, []);
        Assert.That(result.Violations, Is.Empty);
        Assert.That(result.Replay.Cycles, Is.EqualTo(94));
    }

    [TestCase("hello.sched")]
    [TestCase("mlp.sched")]
    [TestCase("layers.sched")]
    public void Every_example_verifies_and_the_bound_holds(string name)
    {
        var compiled = Examples.Compile(name);
        var machine = compiled.Program!.Target.Machine;
        var result = Host.Run(machine, compiled.Schedule!, []);
        Assert.That(result.Violations, Is.Empty, result.Report);
        Assert.That(result.Replay.Cycles, Is.GreaterThanOrEqualTo(compiled.Schedule!.Bound));
    }

    [TestCase("mlp.sched")]
    [TestCase("layers.sched")]
    public void Functional_mode_equals_the_reference_interpreter(string name)
    {
        var compiled = Examples.Compile(name, FunctionalMode.On);
        var replay = Executor.Run(compiled.Program!.Target.Machine, compiled.Schedule!, functional: true);
        var reference = ReferenceInterpreter.Evaluate(compiled.Program);
        Assert.That(replay.Outputs!.Keys, Is.EquivalentTo(reference.Keys));
        foreach (var (output, values) in reference)
            Assert.That(replay.Outputs[output], Is.EqualTo(values).AsCollection, output);
        Assert.That(reference.Values.SelectMany(v => v).Distinct().Count(), Is.GreaterThan(10), "outputs must not be trivially constant");
    }

    [Test]
    public void Functional_mode_catches_a_schedule_that_computes_the_wrong_thing()
    {
        var compiled = Examples.Compile("mlp.sched", FunctionalMode.On);
        var s = compiled.Schedule!;
        // Make one elementwise multiply read its first operand twice: timing stays valid, values do not.
        var index = s.Instructions.ToList().FindIndex(i => i.Op == Opcode.Mul);
        var wrong = s.WithInstructions(s.Instructions.Select((ins, i) =>
            i == index ? ins with { Operands = [ins.Operands[0], ins.Operands[0]] } : ins).ToList());
        // The symbolic dataflow check catches it first; without the program's symbols, the numbers still do.
        var machine = compiled.Program!.Target.Machine;
        var symbolic = Host.Run(machine, wrong, []).Violations.Select(v => v.Kind).ToList();
        Assert.That(symbolic, Is.Not.Empty.And.All.EqualTo(ViolationKind.WrongDataflow), "every output tile downstream of the mul");
        var withoutSymbols = wrong with { Outputs = wrong.Outputs.Select(o => o with { Symbols = null }).ToList() };
        var result = Host.Run(machine, withoutSymbols, []);
        Assert.That(result.Violations.Select(v => v.Kind), Is.EqualTo(new[] { ViolationKind.WrongValues }));
    }

    [Test]
    public void Building_twice_gives_byte_identical_assemblies()
    {
        var first = Examples.Compile("mlp.sched").Assembly!;
        var second = Examples.Compile("mlp.sched").Assembly!;
        Assert.That(second, Is.EqualTo(first));
        var other = Examples.Compile("mlp.sched", set: new() { ["batch"] = "2" }).Assembly!;
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public void Parameters_shrink_the_same_program()
    {
        var big = Examples.Compile("layers.sched");
        var small = Examples.Compile("layers.sched", set: new() { ["layers"] = "2" });
        Assert.That(small.Schedule!.Instructions.Count * 2, Is.EqualTo(big.Schedule!.Instructions.Count));
    }

    [Test]
    public void Data_that_does_not_fit_its_memory_is_a_diagnostic()
    {
        var text = File.ReadAllText(Path.Combine(Examples.Folder, "hello.sched")).Replace("capacity = 64 KiB", "capacity = 4 KiB");
        var result = Compilation.Compile(SourceText.From(text, "small.sched"));
        Assert.That(result.Success, Is.False);
        var d = result.Diagnostics.Single();
        Assert.That(d.Code, Is.EqualTo("SCH2001"));
        Assert.That(d.Location.Line, Is.EqualTo(text.Split('\n').ToList().FindIndex(l => l.Contains("weight w")) + 1));
    }

    [TestCase("input x : int8[1, 2000000000] in sbuf; output x;", TestName = "a tensor of two billion tiles")]
    [TestCase("input x : int8[1, 4] in sbuf; for i in 0 .. 2000000000 { } output x;", TestName = "a loop of two billion steps")]
    [TestCase("input x : int8[1, 4] in sbuf; weight w : int8[4, 4] in sbuf; let y = matmul(x, w) on slow; output y;",
        TestName = "an op of 10^19 cycles")]
    public void Programs_too_large_to_schedule_are_a_diagnostic(string body)
    {
        var text = "target T { clock 1 GHz; tile 1; sram sbuf { capacity = 1 TB; } matrix mxu { peak = 1 TFLOP/s; } "
            + "matrix slow { peak = 1e-9 FLOP/s; } link sbuf <-> mxu { bandwidth = 1 GB/s; } link sbuf <-> slow { bandwidth = 1 GB/s; } }\n"
            + "program P on T { " + body + " }\n";
        var result = Compilation.Compile(SourceText.From(text, "big.sched"));
        Assert.That(result.Diagnostics.Select(d => d.Code), Is.EqualTo(new[] { "SCH2002" }));
        Assert.That(result.Diagnostics[0].Location.Line, Is.EqualTo(2));
    }

    [Test]
    public void The_roofline_bound_of_hello_is_its_bytes_over_all_link_bandwidth()
    {
        var hello = Examples.Compile("hello.sched");
        // 4096 + 64 B in and 64 B out over two 64 B/cycle links: ceil(4224 / 128) = 33 cycles; compute needs only 16.
        var roofline = Runtime.Verification.Roofline.Of(hello.Program!.Target.Machine, hello.Schedule!.Instructions);
        Assert.That(roofline, Is.EqualTo((33L, "roofline, bandwidth")));
        Assert.That(hello.Schedule.Bound, Is.GreaterThanOrEqualTo(roofline.Cycles));
    }

    [Test]
    public void A_peak_per_dtype_sets_each_ops_duration()
    {
        string Program(string dtype) => $$"""
            target T {
                clock 1 GHz;
                sram s { capacity = 1 MB; }
                matrix mxu { peak = 100 GFLOP/s @ fp16; peak = 400 GFLOP/s @ int8; }
                link s <-> mxu { bandwidth = 1 TB/s; }
            }
            program P on T { input x : {{dtype}}[1, 128] in s; weight w : {{dtype}}[128, 128] in s; let y = matmul(x, w); output y; }
            """;
        long Busy(string dtype)
        {
            var compiled = Compilation.Compile(SourceText.From(Program(dtype), "p.sched"));
            Assert.That(compiled.Diagnostics, Is.Empty);
            return Host.Run(compiled.Program!.Target.Machine, compiled.Schedule!, []).Replay.UnitBusy[0];
        }
        // 2·128·128 = 32,768 FLOP: 328 cycles at 100 FLOP a cycle (fp16), 82 at 400 (int8), and 82 for bf16 (the largest peak).
        Assert.That((Busy("fp16"), Busy("int8"), Busy("bf16")), Is.EqualTo((328L, 82L, 82L)));
    }

    [Test]
    public void The_roofline_takes_each_dtype_at_its_own_peak()
    {
        // Two int8 matmuls of [1, 1024] × [1024, 1024] (2,097,152 FLOP each) on one unit of 100 FLOP a cycle in general and 400 at
        // int8, fed at 10 TB/s: compute is 2 × 2,097,152 ÷ 400 = 10,486 cycles at int8, not 41,944 at the general peak.
        const string text = """
            target T {
                clock 1 GHz;
                sram s { capacity = 64 MB; }
                matrix mxu { peak = 100 GFLOP/s; peak = 400 GFLOP/s @ int8; }
                link s <-> mxu { bandwidth = 10 TB/s; }
            }
            program P on T {
                input x : int8[1, 1024] in s; weight w : int8[1024, 1024] in s; weight v : int8[1024, 1024] in s;
                let y = matmul(matmul(x, w), v); output y;
            }
            """;
        var compiled = Compilation.Compile(SourceText.From(text, "p.sched"));
        Assert.That(compiled.Diagnostics, Is.Empty);
        var roofline = Runtime.Verification.Roofline.Of(compiled.Program!.Target.Machine, compiled.Schedule!.Instructions);
        Assert.That(roofline, Is.EqualTo((10486L, "roofline, compute")));
        var run = Host.Run(compiled.Program.Target.Machine, compiled.Schedule, []);
        Assert.That(run.Replay.Cycles, Is.GreaterThanOrEqualTo(roofline.Cycles), "a lower bound is never above a schedule");
    }
}
