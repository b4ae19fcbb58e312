using Sched.Runtime.Schedules;

namespace Sched.Compiler.Tests;

/// <summary>
/// Pins every example's cycle count and schedule hash, so a refactor that changes behaviour shows up here. A change
/// that is meant (a bug fix) updates the figure and says why in its commit message.
/// </summary>
public class FrozenExamplesTests
{
    [TestCase("decode.sched", 1074, "135c0973e0c7db35")]
    [TestCase("fiber.sched", 9236, "056ba4ffee03666d")]
    [TestCase("flash.sched", 3101645, "26dbf378841a71c4")]
    [TestCase("hello.sched", 94, "b273fb3d195bfaec")]
    [TestCase("layers.sched", 2178, "c5871c5a7219e583")]
    [TestCase("llama2-7b-h100.sched", 9110079, "b702673e909b18d4")]
    [TestCase("mlp.sched", 6633, "b49b5b4351fab8ee")]
    [TestCase("multichip.sched", 7830, "f92df1b5c4696b6b")]
    [TestCase("pnm.sched", 528618, "b50628592e85c962")]
    [TestCase("stacked.sched", 53351, "2608cc718c477e59")]
    [TestCase("cxl.sched", 117541, "bcfefaebb466c5e7")]
    [TestCase("llama2-7b-serve.sched", 23906380, "7bf5cfe06bc1ad4d")]
    [TestCase("deepseek-v3-moe.sched", 5959639, "5664f65e12c7bcd1")]
    [TestCase("speculative.sched", 13580961, "3ebe37d2f1aab8ce")]
    public void Example_keeps_its_cycles_and_schedule(string name, long cycles, string hash)
    {
        var compiled = Examples.Compile(name);
        var run = Emit.InProcess.Run(compiled);
        Assert.That(run.Violations, Is.Empty, run.Report);
        Assert.That((run.Replay.Cycles, run.ScheduleHash), Is.EqualTo((cycles, hash)), run.Report);
        Assert.That(ScheduleText.Hash(compiled.Program!.Target.Machine, compiled.Schedule!), Is.EqualTo(hash));
    }
}
