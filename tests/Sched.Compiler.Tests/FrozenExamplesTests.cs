using Sched.Runtime.Schedules;

namespace Sched.Compiler.Tests;

/// <summary>
/// Pins every example's cycle count and schedule hash, so a refactor that changes behaviour shows up here. A change
/// that is meant (a bug fix) updates the figure and says why in its commit message.
/// </summary>
public class FrozenExamplesTests
{
    [TestCase("decode.sched", 914, "ae3cc88091cfacc5")]
    [TestCase("fiber.sched", 9236, "f89ff57bd0822eb6")]
    [TestCase("flash.sched", 3101645, "5d90f7efd0b127ed")]
    [TestCase("hello.sched", 94, "5d093fc5baaab4ed")]
    [TestCase("layers.sched", 2178, "22ac638042f252f5")]
    [TestCase("llama2-7b-h100.sched", 9087671, "0b0150e1f00a93e5")]
    [TestCase("mlp.sched", 6633, "6b978453a16326f8")]
    [TestCase("multichip.sched", 8775, "b28e3f89339b569f")]
    [TestCase("pnm.sched", 528618, "e77e4c7b047ec2d0")]
    [TestCase("stacked.sched", 53351, "a7467b99b8808814")]
    [TestCase("cxl.sched", 117541, "f3e0c2628469ead0")]
    [TestCase("llama2-7b-serve.sched", 23516289, "6c372c86b183eaf1")]
    [TestCase("deepseek-v3-moe.sched", 5926395, "35c5b9078afe0a56")]
    [TestCase("speculative.sched", 13547142, "62f913f661cf7ed2")]
    [TestCase("tensor-parallel.sched", 104398, "f6040a6b5c81ba67")]
    [TestCase("tp-ring.sched", 18620, "3972914b6ea29f74")]
    [TestCase("cerebras-llama3-8b.sched", 3273167, "d9661c06afe93e41")]
    [TestCase("h100-llama2-7b-measured.sched", 34917169, "cfcc2d922ac6e75d")]
    public void Example_keeps_its_cycles_and_schedule(string name, long cycles, string hash)
    {
        var compiled = Examples.Compile(name);
        var run = Emit.InProcess.Run(compiled);
        Assert.That(run.Violations, Is.Empty, run.Report);
        Assert.That((run.Replay.Cycles, run.ScheduleHash), Is.EqualTo((cycles, hash)), run.Report);
        Assert.That(ScheduleText.Hash(compiled.Program!.Target.Machine, compiled.Schedule!), Is.EqualTo(hash));
    }
}
