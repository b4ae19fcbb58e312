using Sched.Language.Text;

namespace Sched.Compiler.Tests;

/// <summary>Contract metrics measured on hello.sched's schedule, against counts made by hand (see examples/hello.sched).</summary>
public class ContractMetricTests
{
    private static Runtime.Verification.ContractResult Measure(string contract)
    {
        var text = Examples.Source("hello.sched").Text.Replace("assert cycles == 94;", contract);
        var compiled = Compilation.Compile(SourceText.From(text, "hello.sched"), new CompileOptions());
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        var run = Emit.InProcess.Run(compiled);
        Assert.That(run.Violations.Where(v => v.Kind != Runtime.Verification.ViolationKind.ContractFailed), Is.Empty, run.Report);
        return run.Contracts.Single(c => c.Contract.Text == contract["assert ".Length..^1]);
    }

    // 94 cycles at 1 GHz; x (64 B) and w (64 × 64 = 4,096 B) cross sbuf->mxu, y (64 B) crosses back; mxu is busy 16 cycles.
    [TestCase("assert 1 / time >= 0;", 1e9 / 94, "/s")]
    [TestCase("assert tokens_per_s >= 0;", 1e9 / 94, "/s")]
    [TestCase("assert bytes(sbuf, mxu) >= 0 B;", 4160, "B")]
    [TestCase("assert bytes(mxu, sbuf) >= 0 B;", 64, "B")]
    [TestCase("assert traffic(sbuf) >= 0 B;", 4224, "B")]
    [TestCase("assert utilization(mxu) >= 0;", 16 / 94.0, "")]
    [TestCase("assert traffic(sbuf) / time >= 0 GB/s;", 4224 / 94e-9, "B/s")]
    [TestCase("assert time * tokens_per_s >= 0;", 1.0, "")]
    public void A_metric_measures_what_the_replay_counted(string contract, double expected, string unit)
    {
        var result = Measure(contract);
        Assert.That(result.Measured, Is.EqualTo(expected).Within(1e-9).Percent);
        Assert.That(result.Contract.Unit, Is.EqualTo(unit));
    }

    [Test]
    public void A_promise_in_human_units_is_kept_or_broken_as_written()
    {
        Assert.That(Measure("assert traffic(sbuf) <= 4.224 kB;").Holds, Is.True);
        Assert.That(Measure("assert traffic(sbuf) < 4.224 kB;").Holds, Is.False);
        Assert.That(Measure("assert tokens_per_s >= 10.6 MHz;").Holds, Is.True);
    }

    [Test]
    public void A_prediction_never_fails_and_prints_its_ratio_to_the_published_figure()
    {
        var text = Examples.Source("hello.sched").Text.Replace("assert cycles == 94;", "predict time against 0.2 us;");
        var run = Emit.InProcess.Run(Compilation.Compile(SourceText.From(text, "hello.sched"), new CompileOptions()));
        var prediction = run.Contracts.Single(c => c.IsPrediction);
        Assert.That(prediction.Measured, Is.EqualTo(94e-9).Within(1e-9).Percent);
        Assert.That(prediction.Promised, Is.EqualTo(0.2e-6).Within(1e-9).Percent);
        Assert.That(prediction.Holds, Is.True);
        Assert.That(run.Passed, Is.True, run.Report);
        Assert.That(run.Report, Does.Contain("prediction      time against 0.2 us  (predicted 94 ns, published 200 ns: ratio 0.47)"));
    }
}

/// <summary>ttft and tpot: the ends of the phases' instructions, read off the schedule here by hand.</summary>
public class PhaseMetricTests
{
    private const string Source = """
        target Tiny {
            clock 1 GHz;
            tile 64;
            sram   sbuf { capacity = 1 MiB; latency = 2 cycles; }
            matrix mxu  { peak = 512 GFLOP/s; latency = 4 cycles; }
            link   sbuf <-> mxu { bandwidth = 64 GB/s; latency = 3 cycles; }
        }
        program P on Tiny {
            input  x : int8[4, 64] in sbuf;
            weight w : int8[64, 64] in sbuf;
            phase prefill {
                let a = matmul(x, w);
                output a;
            }
            phase decode {
                let b = slice(a, row_from = 3);
                repeat 2 {
                    b = matmul(b, w);
                }
                output b;
            }
            assert ttft > 0 s;
            assert tpot > 0 s;
        }
        """;

    [Test]
    public void Ttft_is_when_prefill_ends_and_tpot_what_each_decode_step_adds()
    {
        var compiled = Compilation.Compile(SourceText.From(Source, "phases.sched"), new CompileOptions());
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        var run = Emit.InProcess.Run(compiled);
        Assert.That(run.Passed, Is.True, run.Report);
        var s = compiled.Schedule!;
        var machine = compiled.Program!.Target.Machine;
        long End(int first, int last) => s.Instructions.Where(i => i.Source.Line >= first && i.Source.Line <= last)
            .Max(i => i.Cycle + machine.StepOf(i, s.Tiles)!.Value.Duration + machine.StepOf(i, s.Tiles)!.Value.After);
        var (prefill, decode) = (End(11, 14), End(15, 21));
        Assert.That(run.Contracts[0].Measured, Is.EqualTo(prefill * 1e-9).Within(1e-15));
        Assert.That(run.Contracts[1].Measured, Is.EqualTo((decode - prefill) / 2.0 * 1e-9).Within(1e-15));
        Assert.That(decode, Is.EqualTo(run.Replay.Cycles), "the decode phase ends the program");
    }
}
