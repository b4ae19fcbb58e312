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
        // One greedy pass of placement stopped at 173 (a third over the bound); iterative modulo scheduling reaches 139.
        Assert.That(interval, Is.LessThanOrEqualTo(Math.Max(resMii, recMii) * 11 / 10));
        var result = Sched.Runtime.Host.Run(compiled.Program!.Target.Machine, compiled.Schedule, []);
        Assert.That(result.Violations, Is.Empty, result.Report);
        Assert.That(result.Replay.Cycles, Is.LessThan(iterations * alone));
        Assert.That(result.Functional, Does.StartWith("ok"));
    }

    [Test]
    public void A_clash_moves_past_the_whole_overloaded_run()
    {
        // Capacity 2, [10, 50) full: a one-unit operation at 5 for 10 cycles must move to 50 (or end by 10), not one cycle on.
        var table = new ModuloTable([2], 100);
        table.Reserve(0, [new Demand(0, 2)], 10, 40);
        Assert.That(table.Clash([new Demand(0, 1)], 5, 10, forward: true), Is.EqualTo(45));
        Assert.That(table.Clash([new Demand(0, 1)], 45, 10, forward: false), Is.EqualTo(45));
        Assert.That(table.Clash([new Demand(0, 1)], 50, 10, forward: true), Is.Null);
        Assert.That(table.Occupants([new Demand(0, 1)], 45, 10), Is.EqualTo(new[] { 0 }));
        table.Release(0, [new Demand(0, 2)]);
        Assert.That(table.Clash([new Demand(0, 2)], 5, 10, forward: true), Is.Null);
    }

    [Test]
    public void A_windowed_operation_keeps_its_phase_in_every_step()
    {
        // A tap passes every 10 cycles at phase 3: the interval must be a multiple of 10 and the load's offset ≡ 3 (mod 10).
        var kernel = new Problem(["link", "unit"], [1, 1]);
        var load = kernel.AddOperation(4, 0, new Demand(0, 1));
        var compute = kernel.AddOperation(6, 0, new Demand(1, 1));
        kernel.AddDependence(load, compute, 4);
        kernel.SetWindow(load, 10, 3);
        var m = ModuloScheduler.Solve(kernel, [])!;
        Assert.That(m.Interval, Is.EqualTo(10), "ResMII is 6; the first multiple of the period is 10");
        Assert.That(m.Offsets[load] % 10, Is.EqualTo(3));
        var (unrolled, starts) = ModuloScheduler.Unroll(kernel, [], m, 5);
        for (var k = 0; k < 5; k++) Assert.That(starts[k * 2 + load] % 10, Is.EqualTo(3), $"step {k}");
        Assert.That(unrolled.Verify(starts), Is.Null);
    }

    [Test]
    public void Steps_of_billions_of_cycles_are_pipelined_without_a_cell_per_cycle()
    {
        // Two loads of 2·10^9 cycles on one link and a compute of 10^9 cycles: ResMII = 4·10^9 cycles, found at once.
        var kernel = new Problem(["link", "unit"], [1, 1]);
        var a = kernel.AddOperation(2_000_000_000, 0, new Demand(0, 1));
        var b = kernel.AddOperation(2_000_000_000, 0, new Demand(0, 1));
        var c = kernel.AddOperation(1_000_000_000, 0, new Demand(1, 1));
        kernel.AddDependence(a, c, 2_000_000_000);
        kernel.AddDependence(b, c, 2_000_000_000);
        var m = ModuloScheduler.Solve(kernel, [])!;
        Assert.That((m.ResMii, m.Interval), Is.EqualTo((4_000_000_000L, 4_000_000_000L)));
        Assert.That(ModuloScheduler.Verify(kernel, [], m, 4), Is.Null);
    }

    [Test]
    public void Steps_that_differ_get_no_modulo_schedule_rather_than_an_exception()
    {
        // Two steps of one operation whose durations differ (3 and 5 cycles): modulo scheduling needs identical steps.
        var problem = new Problem(["unit"], [1]);
        problem.AddOperation(3, 0, new Demand(0, 1));
        problem.AddOperation(5, 0, new Demand(0, 1));
        var result = StepScheduler.Solve(problem, new Lowering.RepeatRegion(0, 1, 2), new SolverOptions(10, int.MaxValue));
        Assert.That(result, Is.Null);
    }

    [Test]
    public void A_rule_the_parts_cannot_see_makes_no_schedule_rather_than_an_exception()
    {
        // The prologue's operation 0 must come 100 cycles before the second step's operation 2; prologue, kernel and epilogue
        // are scheduled apart, so the assembled schedule breaks it. Verifying the whole turns that into "no schedule".
        var problem = new Problem(["unit"], [1]);
        problem.AddOperation(1, 0, new Demand(0, 1));
        problem.AddOperation(1, 0, new Demand(0, 1));
        problem.AddOperation(1, 0, new Demand(0, 1));
        problem.AddDependence(0, 2, 100);
        Assert.That(StepScheduler.Solve(problem, new Lowering.RepeatRegion(1, 1, 2), new SolverOptions(10, int.MaxValue)), Is.Null);
    }

    [Test]
    public void A_repeat_around_the_fibre_example_is_pipelined_one_revolution_apart()
    {
        // examples/fiber.sched's step reads its 36 weight layers as they pass the tap: 9,236 cycles of a 9,794-cycle revolution.
        // A second step can read them only on the next revolution, so the interval is exactly one period.
        var text = Examples.Source("fiber.sched").Text.Replace("""
                for l in 0 .. layers {
                    h = matmul(h, w[layers - 1 - l]) on mxu in sbuf;
                }
            """.Replace("            ", "    "), """
                repeat 2 {
                    for l in 0 .. layers {
                        h = matmul(h, w[layers - 1 - l]) on mxu in sbuf;
                    }
                }
            """.Replace("            ", "    ")).Replace("assert cycles <= 9794 + 100;", "assert cycles <= 2 * 9794 + 100;");
        Assert.That(text, Does.Contain("repeat 2"));
        var compiled = Compilation.Compile(Language.Text.SourceText.From(text, "fiber.sched"));
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        Assert.That(compiled.Schedule!.Notes, Has.One.StartsWith("repeat x2: initiation interval 9794 cycles"));
        var run = Emit.InProcess.Run(compiled);
        Assert.That(run.Passed, Is.True, run.Report);
    }
}
