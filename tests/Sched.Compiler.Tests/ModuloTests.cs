using Sched.Compiler.Scheduling;

namespace Sched.Compiler.Tests;

public class ModuloTests
{
    [Test]
    public void Two_independent_ops_sharing_one_unit_pipeline_at_their_resource_bound()
    {
        // load (link, 6 cycles) → compute (unit, 4 cycles); iterations are independent.
        var kernel = new Problem(["link", "unit"], [1, 1]);
        var load = kernel.AddOperation(6, 1, new Demand(0, 1));
        var compute = kernel.AddOperation(4, 0, new Demand(1, 1));
        kernel.AddDependence(load, compute, 7);
        var m = ModuloScheduler.Solve(kernel, [])!;
        Assert.That((m.ResMii, m.RecMii, m.Interval), Is.EqualTo((6L, 6L, 6L)));
        Assert.That(ModuloScheduler.Verify(kernel, [], m, 10), Is.Null);
    }

    [Test]
    public void A_recurrence_sets_the_interval()
    {
        // compute(k+1) needs compute(k)'s result 9 cycles after it starts: RecMII = 9 although the unit is busy only 3.
        var kernel = new Problem(["unit"], [1]);
        var compute = kernel.AddOperation(3, 6, new Demand(0, 1));
        CarriedDependence[] carried = [new(compute, compute, 1, 9)];
        var m = ModuloScheduler.Solve(kernel, carried)!;
        Assert.That((m.ResMii, m.RecMii, m.Interval), Is.EqualTo((3L, 9L, 9L)));
        Assert.That(ModuloScheduler.Verify(kernel, carried, m with { Interval = 8 }, 4), Does.Contain("before operation"));
    }

    [Test]
    public void The_decode_example_overlaps_its_steps_and_verifies()
    {
        var compiled = Examples.Compile("decode.sched");
        var note = compiled.Schedule!.Notes.Single(n => n.StartsWith("repeat"));
        var numbers = System.Text.RegularExpressions.Regex.Matches(note, @"\d+").Select(m => long.Parse(m.Value)).ToArray();
        var (iterations, interval, resMii, recMii, alone) = (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4]);
        Assert.That(interval, Is.GreaterThanOrEqualTo(Math.Max(resMii, recMii)));
        Assert.That(interval, Is.LessThan(alone), "steps must overlap");
        var result = Sched.Runtime.Host.Run(compiled.Program!.Target.Machine, compiled.Schedule, []);
        Assert.That(result.Violations, Is.Empty, result.Report);
        Assert.That(result.Replay.Cycles, Is.LessThan(iterations * alone));
        Assert.That(result.Functional, Does.StartWith("ok"));
    }
}
