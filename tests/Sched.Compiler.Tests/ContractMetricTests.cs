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
}
