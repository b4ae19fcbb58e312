using Sched.Runtime.Schedules;

namespace Sched.Compiler.Tests;

/// <summary>
/// Pins every example's cycle count and schedule hash, so a refactor that changes behaviour shows up here. A change
/// that is meant (a bug fix) updates the figure and says why in its commit message.
/// </summary>
public class FrozenExamplesTests
{
    [TestCase("decode.sched", 1074, "5dc0a25c6a19a41a")]
    [TestCase("fiber.sched", 9236, "f89ff57bd0822eb6")]
    [TestCase("flash.sched", 3101645, "c13e6b3886e348ba")]
    [TestCase("hello.sched", 94, "b549125f60e560c9")]
    [TestCase("layers.sched", 2178, "22ac638042f252f5")]
    [TestCase("llama2-7b-h100.sched", 9110079, "272a449c6b02fd6c")]
    [TestCase("mlp.sched", 6633, "6b978453a16326f8")]
    [TestCase("multichip.sched", 7830, "5ed14d39060f623a")]
    [TestCase("pnm.sched", 528618, "e77e4c7b047ec2d0")]
    [TestCase("stacked.sched", 53351, "a7467b99b8808814")]
    [TestCase("cxl.sched", 117541, "f3e0c2628469ead0")]
    [TestCase("llama2-7b-serve.sched", 23906380, "8b4d01d1d711d5c8")]
    [TestCase("deepseek-v3-moe.sched", 5959639, "68908132bd43466a")]
    [TestCase("speculative.sched", 13580961, "4f9b4ee98c8375bb")]
    public void Example_keeps_its_cycles_and_schedule(string name, long cycles, string hash)
    {
        var compiled = Examples.Compile(name);
        var run = Emit.InProcess.Run(compiled);
        Assert.That(run.Violations, Is.Empty, run.Report);
        Assert.That((run.Replay.Cycles, run.ScheduleHash), Is.EqualTo((cycles, hash)), run.Report);
        Assert.That(ScheduleText.Hash(compiled.Program!.Target.Machine, compiled.Schedule!), Is.EqualTo(hash));
    }
}
