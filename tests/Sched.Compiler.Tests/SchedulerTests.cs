using Sched.Compiler.Scheduling;

namespace Sched.Compiler.Tests;

public class SchedulerTests
{
    private static Problem Random(int seed, int n)
    {
        var random = new Random(seed);
        var problem = new Problem(["a", "b", "c"], [1, 2, 3]);
        for (var i = 0; i < n; i++)
        {
            var op = problem.AddOperation(random.Next(1, 10), random.Next(0, 3), new Demand(random.Next(3), 1));
            for (var p = 0; p < 2 && op > 0; p++)
            {
                var from = random.Next(op);
                problem.AddDependence(from, op, problem.Durations[from] + random.Next(0, 4));
            }
        }
        return problem;
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void List_schedules_respect_capacities_and_lags_and_the_bound(int seed)
    {
        var problem = Random(seed, 300);
        var starts = ListScheduler.Solve(problem)!;
        Assert.That(problem.Verify(starts), Is.Null);
        Assert.That(problem.Makespan(starts), Is.GreaterThanOrEqualTo(LowerBound.Of(problem).Cycles));
    }

    [Test]
    public void Verify_names_the_broken_rule()
    {
        var problem = new Problem(["unit"], [1]);
        var a = problem.AddOperation(5, 0, new Demand(0, 1));
        var b = problem.AddOperation(5, 0, new Demand(0, 1));
        problem.AddDependence(a, b, 5);
        Assert.That(problem.Verify([0, 5]), Is.Null);
        Assert.That(problem.Verify([0, 4]), Does.Contain("before operation 0"));
        var parallel = new Problem(["unit"], [1]);
        parallel.AddOperation(5, 0, new Demand(0, 1));
        parallel.AddOperation(5, 0, new Demand(0, 1));
        Assert.That(parallel.Verify([0, 3]), Does.Contain("above its capacity 1"));
    }

    [Test]
    public void Independent_work_on_a_shared_unit_is_serialised_and_hits_the_load_bound()
    {
        var problem = new Problem(["unit"], [1]);
        for (var i = 0; i < 10; i++) problem.AddOperation(7, 0, new Demand(0, 1));
        var starts = ListScheduler.Solve(problem)!;
        Assert.That(problem.Makespan(starts), Is.EqualTo(70));
        Assert.That(LowerBound.Of(problem), Is.EqualTo(new LowerBound(70, "load of unit")));
    }

    [Test]
    public void The_bound_sees_each_operations_blocks_on_one_unit_between_the_barriers_that_join_them()
    {
        // Two operations of two blocks on one unit, a barrier after each: act load (5) → compute (20) → store (2) → barrier. The
        // unit runs its two computes back to back, so each operation takes 5 + 40 + 2 = 47 and the best schedule 94 (the solver's).
        // The longest path sees one block an operation; the barrier's stores, one store link; the computes two links back from
        // the barrier, the unit's 40 cycles between the barriers: the bound is within the last store of the best.
        var problem = new Problem(["link", "unit", "store"], [2, 1, 1]);
        var barrier = problem.AddOperation(0, 0);
        for (var op = 0; op < 2; op++)
        {
            var stores = new List<int>();
            for (var block = 0; block < 2; block++)
            {
                var load = problem.AddOperation(5, 0, new Demand(0, 1));
                var compute = problem.AddOperation(20, 0, new Demand(1, 1));
                var store = problem.AddOperation(2, 0, new Demand(2, 1));
                problem.AddDependence(barrier, load, 0);
                problem.AddDependence(load, compute, 5);
                problem.AddDependence(compute, store, 20);
                stores.Add(store);
            }
            barrier = problem.AddOperation(0, 0);
            foreach (var s in stores) problem.AddDependence(s, barrier, 2);
        }
        var solved = Solver.Solve(problem).Solution!;
        Assert.That(solved.Makespan, Is.EqualTo(94));
        Assert.That(LowerBound.Of(problem).Cycles, Is.InRange(92, 94), "without the second ring back from the barrier: 87");
    }

    [Test]
    public void A_cycle_of_dependences_has_no_schedule()
    {
        var problem = new Problem(["unit"], [1]);
        problem.AddOperation(1, 0, new Demand(0, 1));
        problem.AddOperation(1, 0, new Demand(0, 1));
        problem.AddDependence(0, 1, 1);
        problem.AddDependence(1, 0, 1);
        Assert.That(ListScheduler.Solve(problem), Is.Null);
    }
}
