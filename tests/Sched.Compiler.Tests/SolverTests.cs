using Sched.Compiler.Scheduling;
using Sched.Compiler.Scheduling.Generation;
using Sched.Compiler.Scheduling.Import;

namespace Sched.Compiler.Tests;

public class SolverTests
{
    /// <summary>A file or folder of ../shared/data/psplib beside the checkout; the test is ignored where it is not.</summary>
    internal static string Psplib(string relative)
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SchedDsl.sln"))) dir = dir.Parent;
        var path = Path.Combine(dir!.FullName, "..", "shared", "data", "psplib", relative);
        if (!File.Exists(path) && !Directory.Exists(path)) Assert.Ignore($"{relative} is not beside the checkout (../shared/data/psplib)");
        return path;
    }

    [Test]
    public void The_sm_reader_keeps_jobs_durations_demands_and_capacities()
    {
        var p = PsplibFormat.Read(Psplib("j30/j301_1.sm"));
        Assert.That(p.Count, Is.EqualTo(32));
        Assert.That(p.Capacities, Is.EqualTo(new[] { 12, 13, 4, 12 }));
        Assert.That(p.Durations[1], Is.EqualTo(8));                          // job 2: duration 8, 4 of R1
        Assert.That(p.Demands[1], Is.EqualTo(new[] { new Demand(0, 4) }));
        Assert.That(p.Dependences, Does.Contain(new Dependence(0, 1, 0)));   // job 1 → job 2, finish-to-start
        Assert.That(p.Dependences, Does.Contain(new Dependence(1, 5, 8)));   // job 2 → job 6 after job 2's 8
    }

    [Test]
    public void An_instance_cut_to_its_first_jobs_keeps_them_and_the_dependences_among_them()
    {
        var p = PsplibFormat.Read(Psplib("j30/j301_1.sm"));
        var cut = PsplibFormat.FirstJobs(p, 5);
        Assert.That(cut.Count, Is.EqualTo(6), "the source and jobs 2–6");
        Assert.That(cut.Durations, Is.EqualTo(p.Durations.Take(6)));
        Assert.That(cut.Demands, Is.EqualTo(p.Demands.Take(6)));
        Assert.That(cut.Capacities, Is.EqualTo(p.Capacities));
        Assert.That(cut.Dependences, Is.EqualTo(p.Dependences.Where(d => d.From < 6 && d.To < 6)));
        Assert.That(cut.Dependences, Does.Contain(new Dependence(1, 5, 8)), "job 2 → job 6 stays");
        Assert.That(Solver.Solve(cut, new SolverOptions(Passes: 20)).Solution!.Makespan, Is.LessThan(43), "shorter than the whole");
    }

    [Test]
    public void The_sch_reader_turns_negative_lags_into_maximum_lags()
    {
        var p = PsplibFormat.Read(Psplib("rcpsp-max-j10/PSP1.SCH"));
        Assert.That(p.Count, Is.EqualTo(12));
        Assert.That(p.HasNegativeLags, Is.True);
        Assert.That(p.Dependences, Does.Contain(new Dependence(8, 1, -22)));
        Assert.That(p.Capacities, Is.EqualTo(new[] { 5, 5, 5, 5, 5 }));
    }

    [TestCase("j30/j301_1.sm", 43)]
    [TestCase("j30/j301_2.sm", 47)]
    [TestCase("j60/j601_1.sm", 77)]
    [TestCase("rcpsp-max-j10/PSP1.SCH", 26)]
    [TestCase("rcpsp-max-j10/PSP3.SCH", 36)]
    public void Psplib_samples_reach_their_known_optimum_and_verify(string file, long optimum)
    {
        var p = PsplibFormat.Read(Psplib(file));
        var outcome = Solver.Solve(p, new SolverOptions(Passes: 3000, TimeLimitMs: 5000));
        Assert.That(outcome.Solution, Is.Not.Null, outcome.Failure);
        Assert.That(p.Verify(outcome.Solution!.Starts), Is.Null);
        Assert.That(outcome.Solution.Makespan, Is.EqualTo(optimum));
        Assert.That(outcome.Solution.Bound.Cycles, Is.LessThanOrEqualTo(optimum));
    }

    [Test]
    public void An_infeasible_rcpsp_max_instance_is_proved_infeasible()
    {
        var outcome = Solver.Solve(PsplibFormat.Read(Psplib("rcpsp-max-j10/PSP2.SCH")), new SolverOptions(Passes: 50, TimeLimitMs: 2000));
        Assert.That(outcome.Solution, Is.Null);
        Assert.That(outcome.ProvedInfeasible, Is.True, outcome.Failure);
    }

    [Test]
    public void Contradictory_maximum_lags_are_reported_without_searching()
    {
        var p = new Problem(["unit"], [1]);
        var a = p.AddOperation(5, 0, new Demand(0, 1));
        var b = p.AddOperation(5, 0, new Demand(0, 1));
        p.AddDependence(a, b, 10);      // b at least 10 after a
        p.AddMaxLag(a, b, 4);           // …and at most 4 after a
        var outcome = Solver.Solve(p);
        Assert.That(outcome.ProvedInfeasible, Is.True);
        Assert.That(outcome.Failure, Does.Contain("contradict"));
    }

    [Test]
    public void Maximum_lags_and_windows_are_kept()
    {
        var p = new Problem(["unit"], [1]);
        var a = p.AddOperation(4, 0, new Demand(0, 1));
        var b = p.AddOperation(4, 0, new Demand(0, 1));
        var c = p.AddOperation(4, 0, new Demand(0, 1));
        p.AddDependence(a, c, 4);
        p.AddMaxLag(a, c, 6);           // c within 6 of a, though b competes for the unit
        p.SetWindow(b, 10, 3);          // b only at cycles ≡ 3 (mod 10)
        var s = Solver.Solve(p).Solution!;
        Assert.That(p.Verify(s.Starts), Is.Null);
        Assert.That(s.Starts[c] - s.Starts[a], Is.InRange(4, 6));
        Assert.That(s.Starts[b] % 10, Is.EqualTo(3));
        Assert.That(p.Verify([0, 4, 5]), Does.Contain("off its window"));
        Assert.That(p.Verify([0, 13, 7]), Does.Contain("more than 6 after"));
    }

    [Test]
    public void The_same_seed_gives_the_same_schedule_and_sampling_never_makes_it_worse()
    {
        var p = DecodeStepProblem.Generate(3000, seed: 7);
        var first = Solver.Solve(p, new SolverOptions(Passes: 4, TimeLimitMs: int.MaxValue, Seed: 3)).Solution!;
        var again = Solver.Solve(p, new SolverOptions(Passes: 4, TimeLimitMs: int.MaxValue, Seed: 3)).Solution!;
        var single = Solver.Solve(p, new SolverOptions(Passes: 0, TimeLimitMs: int.MaxValue, Justify: false)).Solution!;
        Assert.That(again.Starts, Is.EqualTo(first.Starts));
        Assert.That(first.Makespan, Is.LessThanOrEqualTo(single.Makespan));
        Assert.That(p.Verify(first.Starts), Is.Null);
    }

    [Test]
    public void Large_problems_take_the_parallel_scheme_and_still_verify()
    {
        var p = DecodeStepProblem.Generate(200_000);
        var s = Solver.Solve(p, new SolverOptions(Passes: 0, TimeLimitMs: int.MaxValue)).Solution!;
        Assert.That(p.Verify(s.Starts), Is.Null);
        Assert.That(s.Makespan, Is.GreaterThanOrEqualTo(s.Bound.Cycles));
    }

    [TestCase("hello.sched")]
    [TestCase("mlp.sched")]
    [TestCase("layers.sched")]
    public void On_the_examples_the_solver_is_no_worse_than_the_spines_list_scheduler(string name)
    {
        var problem = Examples.Compile(name).Lowered!.Problem;
        var spine = problem.Makespan(ListScheduler.Solve(problem)!);
        var solved = Solver.Solve(problem, new SolverOptions(Passes: 16, TimeLimitMs: int.MaxValue)).Solution!;
        Assert.That(solved.Makespan, Is.LessThanOrEqualTo(spine));
    }

    [Test]
    public void Memory_footprints_are_checked_by_verify()
    {
        var p = new Problem(["a", "b"], [1, 1]);
        var sbuf = p.AddMemory("sbuf", 100);
        var x = p.AddOperation(5, 0, new Demand(0, 1));
        var y = p.AddOperation(5, 0, new Demand(1, 1));
        var reader = p.AddOperation(5, 0, new Demand(0, 1));
        p.AddFootprint(x, sbuf, 60, reader);   // x's result lives until reader ends
        p.AddFootprint(y, sbuf, 60);
        Assert.That(p.Verify([0, 0, 5]), Does.Contain("memory sbuf holds 120 B at cycle 0"));
        Assert.That(p.Verify([0, 10, 5]), Is.Null);           // y starts once reader is done with x
        Assert.That(p.Verify([0, 0, 5], checkMemory: false), Is.Null);
    }

    [TestCase("mlp.sched")]
    [TestCase("decode.sched")]
    public void Compiled_schedules_keep_their_memory_footprints(string name)
    {
        var compiled = Examples.Compile(name);
        var problem = compiled.Lowered!.Problem;
        Assert.That(problem.Footprints, Is.Not.Empty);
        Assert.That(problem.Verify(compiled.Starts!), Is.Null);
        var tiny = problem.Memories[0].Capacity;
        Assert.That(problem.Footprints.Max(f => f.Bytes), Is.LessThan(tiny));
    }

    private static IEnumerable<TestCaseData> DevInstances() =>
        new[] { "rcpsp-max-j20-dev", "rcpsp-max-j30-dev" }.SelectMany(set =>
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext?.TestDirectory ?? AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SchedDsl.sln"))) dir = dir.Parent;
            var optima = Path.Combine(dir?.FullName ?? ".", "..", "shared", "data", "psplib", set, "optimum.csv");
            return File.Exists(optima)
                ? File.ReadLines(optima).Skip(1).Select(l => l.Split(',')).Select(f => new TestCaseData($"{set}/{f[0]}", f[1].Trim())
                    .SetName($"{set} {f[0]} ({f[1].Trim()})"))
                : [];
        });

    [TestCaseSource(nameof(DevInstances))]
    public void Development_instances_are_proved_infeasible_or_solved_within_their_known_range(string instance, string optimum)
    {
        var problem = PsplibFormat.Read(Psplib(instance));
        // Passes, not the clock, bound the heuristic here, so the outcome is the same on any machine.
        var outcome = Solver.Solve(problem, new SolverOptions(Passes: 500, TimeLimitMs: int.MaxValue));
        if (optimum == "unsat")
        {
            Assert.That(outcome.ProvedInfeasible, Is.True, outcome.Failure);
            Assert.That(outcome.Solution, Is.Null);
            return;
        }
        Assert.That(outcome.Solution, Is.Not.Null, outcome.Failure);
        Assert.That(problem.Verify(outcome.Solution!.Starts, checkMemory: false), Is.Null);
        var low = long.Parse(optimum.Split("..")[0]);
        Assert.That(outcome.Solution.Makespan, Is.GreaterThanOrEqualTo(low), "never below a proved lower bound");
    }

    [Test]
    public void Two_islands_on_two_threads_give_the_same_schedule_for_the_same_seed_and_passes()
    {
        var problem = PsplibFormat.Read(Psplib("j120/j1201_1.sm"));
        var options = new SolverOptions(Passes: 400, TimeLimitMs: int.MaxValue, Seed: 5);
        var first = Solver.Solve(problem, options).Solution!;
        // The same solve four times at once, so the islands' threads interleave differently each time.
        var again = Enumerable.Range(0, 4).AsParallel().Select(_ => Solver.Solve(problem, options).Solution!).ToList();
        foreach (var other in again)
        {
            Assert.That(other.Starts, Is.EqualTo(first.Starts));
            Assert.That(other.Passes, Is.EqualTo(first.Passes));
        }
    }

    [TestCase("j120/j1201_1.sm")]
    [TestCase("rcpsp-max-j20-dev/PSP86.SCH")]
    public void The_reversed_island_s_best_turned_back_is_a_schedule_of_the_problem_from_cycle_0(string instance)
    {
        var problem = PsplibFormat.Read(Psplib(instance));
        var graph = new Graph(problem);
        var earliest = Temporal.EarliestStarts(problem, graph, out _)!;
        var mirror = Solver.Mirror(problem, parallel: false)!.Value;
        var setup = new Island.Setup(problem, new SerialGenerator(problem, graph, earliest).Run, mirror, Solver.Tails(problem, graph),
            Bound: 0, Seed: 3, Passes: 100, DeadlineMs: long.MaxValue, JustifyLimitMs: int.MaxValue,
            Clock: System.Diagnostics.Stopwatch.StartNew());
        var found = Solver.Reversed(setup, mirror);
        Assert.That(found.Best, Is.Not.Null);
        // Built from the end in the mirror, each start is the mirror's makespan less its mirror start and its duration.
        Assert.That(problem.Verify(found.Best!, checkMemory: false), Is.Null);
        Assert.That(found.Best!.Min(), Is.EqualTo(0), "the mirror's last finish becomes the first start");
        Assert.That(found.Makespan, Is.EqualTo(problem.Makespan(found.Best!)));
        Assert.That(found.Passes, Is.GreaterThan(100));
    }

    [TestCase("j30/j301_4.sm", 62)]
    [TestCase("j120/j1201_1.sm", 104)]
    public void Energetic_reasoning_raises_the_bound_and_stays_below_the_optimum(string instance, int optimum)
    {
        var problem = PsplibFormat.Read(Psplib(instance));
        var solution = Solver.Solve(problem, new SolverOptions(Passes: 50, TimeLimitMs: int.MaxValue)).Solution!;
        var simple = LowerBound.Of(problem);
        Assert.That(solution.Bound.Kind, Is.EqualTo("energetic reasoning"));
        Assert.That(solution.Bound.Cycles, Is.GreaterThan(simple.Cycles), $"critical path and load give {simple.Cycles}");
        // The optimum (j301_4) or the proved lower end (j1201_1: 104..105) bounds every schedule: a valid bound never exceeds it.
        Assert.That(solution.Bound.Cycles, Is.LessThanOrEqualTo(optimum));
    }

    [TestCase("j30/j301_2.sm", 47)]
    [TestCase("j30/j301_5.sm", 39)]
    [TestCase("rcpsp-max-j20-dev/PSP86.SCH", 49)]
    [TestCase("rcpsp-max-j20-dev/PSP160.SCH", 86)]
    public void Branch_and_bound_proves_the_optimum_the_bounds_alone_do_not(string instance, long optimum)
    {
        var problem = PsplibFormat.Read(Psplib(instance));
        var heuristic = Solver.Solve(problem, new SolverOptions(Passes: 200, TimeLimitMs: int.MaxValue)).Solution!;
        Assert.That(heuristic.Bound.Cycles, Is.LessThan(optimum));
        var proved = Solver.Solve(problem, new SolverOptions(Passes: 200, TimeLimitMs: int.MaxValue, ProveNodes: 100_000)).Solution!;
        Assert.That(problem.Verify(proved.Starts, checkMemory: false), Is.Null);
        Assert.That(proved.Makespan, Is.EqualTo(optimum));
        Assert.That(proved.Bound, Is.EqualTo(new LowerBound(optimum, "complete search")));
    }

    [Test]
    public void A_deadline_below_the_optimum_has_no_schedule_and_one_at_it_has()
    {
        // Two operations that cannot share the unit, and a third after the first: 3 + 3 on the unit, so no schedule ends before 6.
        var p = new Problem(["unit", "other"], [1, 1]);
        var a = p.AddOperation(3, 0, new Demand(0, 1));
        p.AddOperation(3, 0, new Demand(0, 1));
        var c = p.AddOperation(2, 0, new Demand(1, 1));
        p.AddDependence(a, c, 3);
        Assert.That(ExactSearch.Run(p, 1000, 10_000, out _, out _, deadline: 5), Is.EqualTo(ExactSearch.Result.Infeasible));
        Assert.That(ExactSearch.Run(p, 1000, 10_000, out var starts, out var nodes, deadline: 6), Is.EqualTo(ExactSearch.Result.Found));
        Assert.That(p.Makespan(starts!), Is.EqualTo(6));
        Assert.That(nodes, Is.GreaterThan(0));
    }

    [TestCase(6)]
    [TestCase(8)]
    [TestCase(10)]
    public void Operations_that_exclude_each_other_in_too_short_a_window_are_proved_infeasible(int count)
    {
        // Each needs the whole unit for 5 cycles and must start within 5·count − 6 cycles of the first: count·5 cycles of work do
        // not fit in the 5·count − 1 the window leaves. No operation has a compulsory part, so only ordering them proves it.
        var p = new Problem(["unit"], [5]);
        var source = p.AddOperation(0, 0);
        for (var i = 0; i < count; i++)
        {
            var op = p.AddOperation(5, 0, new Demand(0, 5));
            p.AddDependence(source, op, 0);
            p.AddDependence(op, source, -(5 * count - 6));
        }
        var result = ExactSearch.Run(p, 100_000, 60_000, out _, out var nodes);
        Assert.That(result, Is.EqualTo(ExactSearch.Result.Infeasible));
        Assert.That(nodes, Is.EqualTo(0), "proved by propagation at the root");
    }

    [TestCase(7)]
    [TestCase(8)]
    public void Operations_that_exclude_each_other_and_must_start_close_together_are_proved_infeasible_by_ordering_them(int count)
    {
        // Each needs the whole unit for 5 cycles, and any two start at most 5·(count − 1) − 1 apart: in every order the first and
        // the last are 5·(count − 1) apart. Their windows are wide (nothing ties them to the start), so no stretch is overloaded.
        var p = new Problem(["unit"], [1]);
        var ops = Enumerable.Range(0, count).Select(_ => p.AddOperation(5, 0, new Demand(0, 1))).ToList();
        foreach (var a in ops)
            foreach (var b in ops)
                if (a != b) p.AddDependence(a, b, -(5 * (count - 1) - 1));
        // Ordering pairs takes 1,295 nodes at 7 (start times alone: 51,247).
        var result = ExactSearch.Run(p, 20_000, 60_000, out _, out var nodes);
        TestContext.Out.WriteLine($"{count}: {result} after {nodes} nodes");
        Assert.That(result, Is.EqualTo(ExactSearch.Result.Infeasible));
    }

    [Test]
    public void Ranks_order_by_value_then_by_index()
    {
        Assert.That(Solver.Ranks([2, 1, 2, 1, -0.5]), Is.EqualTo(new[] { 0.6, 0.2, 0.8, 0.4, 0.0 }));
    }

    [TestCase(7, 10)]
    [TestCase(8, 60)]
    [TestCase(9, 100_000)]
    public void A_schedule_s_start_order_ranks_by_start_then_key_then_index(int seed, int span)
    {
        // Keys are ranks (k / n) with repeats, as crossover leaves them; a span of 100,000 takes the general sort.
        var random = new Random(seed);
        const int N = 120;
        var starts = Enumerable.Range(0, N).Select(_ => (long)random.Next(span)).ToArray();
        var key = Enumerable.Range(0, N).Select(_ => random.Next(N) / (double)N).ToArray();
        var expected = Enumerable.Range(0, N).OrderBy(i => starts[i]).ThenBy(i => key[i]).ThenBy(i => i).ToArray();
        var ranks = Island.StartOrder(starts, key);
        Assert.That(Enumerable.Range(0, N).OrderBy(i => ranks[i]).ToArray(), Is.EqualTo(expected));
        Assert.That(Island.StartOrder([], []), Is.Empty, "a program with no operations has an empty key");
    }

    [Test]
    public void Elites_leave_out_near_copies_of_a_better_elite()
    {
        // Start orders of 100 operations: a swap of two neighbours moves two operations one place (0.02 of a place on average);
        // a reversed order moves them 50 places on average.
        const int N = 100;
        double[] Order(IEnumerable<int> places) => places.Select(p => p / (double)N).ToArray();
        var best = Order(Enumerable.Range(0, N));
        var swapped = Order(Enumerable.Range(0, N).Select(i => i switch { 0 => 1, 1 => 0, _ => i }));
        var reversed = Order(Enumerable.Range(0, N).Reverse());
        var shifted = Order(Enumerable.Range(0, N).Select(i => (i + 1) % N));   // each one place on, the last to the front
        Assert.That(Island.Distance(best, swapped), Is.EqualTo(0.02).Within(1e-12));
        Assert.That(Island.Distance(best, reversed), Is.EqualTo(50).Within(1e-12));
        var population = new List<(double Makespan, double[] Key)> { (10, best), (10, swapped), (11, reversed), (12, shifted) };
        var elites = Island.Elites(population, count: 3);
        Assert.That(elites.Select(e => e.Key), Is.EqualTo(new[] { best, reversed, shifted }),
            "the swap is a near-copy of the best; the next ones take its place, in order of makespan");
        Assert.That(Island.Elites(population, count: 1).Single().Key, Is.SameAs(best), "the best is always an elite");
    }

    [Test]
    public void A_child_is_the_elite_order_but_for_one_stretch_ranked_as_in_the_other_parent()
    {
        // 20 operations: the elite starts them in index order, the other parent in reverse; 30% of 20 places is a stretch of 6.
        const int N = 20;
        var elite = Enumerable.Range(0, N).Select(i => i / (double)N).ToArray();
        var other = Enumerable.Range(0, N).Select(i => (N - 1 - i) / (double)N).ToArray();
        var random = new Random(5);
        var stretches = new HashSet<int>();
        for (var trial = 0; trial < 50; trial++)
        {
            var child = Island.Cross(elite, other, random);
            var taken = Enumerable.Range(0, N).Where(i => child[i] != elite[i]).ToArray();
            Assert.That(taken, Has.Length.EqualTo(6), "a stretch of 30% of the places");
            Assert.That(taken.Last() - taken.First(), Is.EqualTo(5), "contiguous in the elite's order");
            Assert.That(taken.All(i => child[i] == other[i]), "ranked as in the other parent");
            stretches.Add(taken.First());
        }
        Assert.That(stretches.Count, Is.GreaterThan(5), "the stretch falls anywhere in the order");
    }
}
