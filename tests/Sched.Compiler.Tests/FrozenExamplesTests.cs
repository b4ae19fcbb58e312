using Sched.Runtime.Schedules;

namespace Sched.Compiler.Tests;

/// <summary>
/// Pins every example's cycle count and schedule hash, so a refactor that changes behaviour shows up here. A change
/// that is meant (a bug fix) updates the figure and says why in its commit message.
/// </summary>
public class FrozenExamplesTests
{
    [TestCase("decode.sched", 1086, "1accccd4e5338996")]
    [TestCase("fiber.sched", 9236, "056ba4ffee03666d")]
    [TestCase("flash.sched", 3101645, "308d0c4f21860b29")]
    [TestCase("hello.sched", 94, "85bcbf9360495419")]
    [TestCase("layers.sched", 2188, "8429517e7b4cf09a")]
    [TestCase("llama2-7b-h100.sched", 9113875, "a9b4626c95ba110f")]
    [TestCase("mlp.sched", 6633, "d5aa98c1ab86f76d")]
    [TestCase("multichip.sched", 22226, "477a3b9db694b520")]
    [TestCase("pnm.sched", 528618, "d2226cd3baa742ff")]
    [TestCase("stacked.sched", 53351, "7d91aac28cf6f444")]
    [TestCase("cxl.sched", 117541, "ba7eb7e90c6635ff")]
    public void Example_keeps_its_cycles_and_schedule(string name, long cycles, string hash)
    {
        var compiled = Examples.Compile(name);
        var run = Emit.InProcess.Run(compiled);
        Assert.That(run.Violations, Is.Empty, run.Report);
        Assert.That((run.Replay.Cycles, run.ScheduleHash), Is.EqualTo((cycles, hash)), run.Report);
        Assert.That(ScheduleText.Hash(compiled.Program!.Target.Machine, compiled.Schedule!), Is.EqualTo(hash));
    }
}
