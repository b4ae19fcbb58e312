using Sched.Compiler.Scheduling;
using Sched.Compiler.Scheduling.Import;

namespace Sched.Compiler.Tests;

/// <summary>The time-grid serial scheme must make exactly the schedules of the general one, for any key.</summary>
public class GridGeneratorTests
{
    [TestCase("j30/j301_1.sm")]
    [TestCase("j120-dev/j12011_4.sm")]
    [TestCase("j60-dev")]
    public void Makes_the_schedules_of_the_general_serial_scheme(string relative)
    {
        var path = SolverTests.Psplib(relative);
        var files = Directory.Exists(path) ? Directory.GetFiles(path, "*.sm").Order(StringComparer.Ordinal).ToArray() : [path];
        foreach (var file in files) Compare(PsplibFormat.Read(file), seed: files.Length);
    }

    [TestCase(5)]
    [TestCase(6)]
    [TestCase(7)]
    [TestCase(8)]
    [TestCase(9)]
    public void Makes_the_schedules_of_the_general_serial_scheme_with_lags_latencies_and_idle_resources(int seed)
    {
        // Lags longer than durations, zero durations and lags, latencies, demands of several units, edges given twice, a
        // resource no operation uses; sizes and capacities vary with the seed.
        var random = new Random(seed);
        var n = random.Next(10, 120);
        var p = new Problem(["a", "b", "idle", "c"], [random.Next(1, 6), random.Next(3, 8), 2, random.Next(1, 5)]);
        for (var i = 0; i < n; i++)
            p.AddOperation(random.Next(0, 9), random.Next(0, 3),
                [new Demand(0, random.Next(0, p.Capacities[0] + 1)), random.Next(2) == 0
                    ? new Demand(1, random.Next(1, p.Capacities[1] + 1)) : new Demand(3, random.Next(1, p.Capacities[3] + 1))]);
        for (var i = 1; i < n; i++)
            for (var k = 0; k < random.Next(0, 4); k++)
                p.AddDependence(random.Next(i), i, random.Next(0, 12));
        Compare(p, seed);
    }

    [TestCase(11)]
    [TestCase(12)]
    public void Makes_the_schedules_of_the_general_serial_scheme_with_more_resources_than_a_word_holds(int seed)
    {
        // Six resources in use: two words a cycle, four lanes and two; every operation needs one to three of them.
        var random = new Random(seed);
        var p = new Problem(["a", "b", "c", "d", "e", "f"], Enumerable.Range(0, 6).Select(_ => random.Next(1, 10)).ToArray());
        for (var i = 0; i < 80; i++)
            p.AddOperation(random.Next(1, 7), 0, Enumerable.Range(0, 6).OrderBy(_ => random.Next()).Take(random.Next(1, 4))
                .Select(r => new Demand(r, random.Next(1, p.Capacities[r] + 1))).ToArray());
        for (var i = 1; i < 80; i++)
            if (random.Next(3) > 0) p.AddDependence(random.Next(i), i, random.Next(0, 8));
        Compare(p, seed);
    }

    [Test]
    public void Makes_the_schedules_of_the_general_serial_scheme_with_many_resources_each_used_by_few()
    {
        // Forty resources (ten words a cycle), each operation on one or two, as a chip program's units: an operation checks and
        // books only the words it uses (checking every word made a 1,000,000-instruction program's schedule take minutes).
        var random = new Random(13);
        var p = new Problem(Enumerable.Range(0, 40).Select(r => $"u{r}").ToArray(), Enumerable.Range(0, 40).Select(_ => 2).ToArray());
        for (var i = 0; i < 300; i++)
            p.AddOperation(random.Next(1, 9), 0, Enumerable.Range(0, 40).OrderBy(_ => random.Next()).Take(random.Next(1, 3))
                .Select(r => new Demand(r, random.Next(1, 3))).ToArray());
        for (var i = 1; i < 300; i++)
            if (random.Next(2) > 0) p.AddDependence(random.Next(i), i, random.Next(0, 5));
        Compare(p, 13);
    }

    [Test]
    public void Is_not_used_where_it_would_not_make_the_same_schedules()
    {
        var lagged = new Problem(["r"], [1]);
        lagged.AddOperation(2, 0, [new Demand(0, 1)]);
        lagged.AddOperation(2, 0, [new Demand(0, 1)]);
        lagged.AddDependence(1, 0, -3);   // a maximum lag: unscheduling, which only the general scheme does
        var graph = new Graph(lagged);
        Assert.That(GridGenerator.For(lagged, graph, Temporal.EarliestStarts(lagged, graph, out _)!), Is.Null);
        // A capacity beyond a 16-bit lane.
        var wide = new Problem(["r"], [40_000]);
        wide.AddOperation(2, 0, [new Demand(0, 30_000)]);
        var wideGraph = new Graph(wide);
        Assert.That(GridGenerator.For(wide, wideGraph, Temporal.EarliestStarts(wide, wideGraph, out _)!), Is.Null);
        // 20,001 independent one-cycle operations fit the grid's cells, but all would be eligible at once.
        var many = new Problem(["r"], [20_001]);
        for (var i = 0; i < 20_001; i++) many.AddOperation(1, 0, [new Demand(0, 1)]);
        var manyGraph = new Graph(many);
        Assert.That(GridGenerator.For(many, manyGraph, Temporal.EarliestStarts(many, manyGraph, out _)!), Is.Null);
    }

    private static void Compare(Problem p, int seed)
    {
        var graph = new Graph(p);
        var earliest = Temporal.EarliestStarts(p, graph, out _)!;
        var grid = GridGenerator.For(p, graph, earliest);
        Assert.That(grid, Is.Not.Null);
        var serial = new SerialGenerator(p, graph, earliest);
        var random = new Random(seed);
        for (var r = 0; r < 40; r++)
        {
            // Random keys, and keys with ties (broken by the smaller index in both).
            var key = Enumerable.Range(0, p.Count).Select(_ => r % 2 == 0 ? random.NextDouble() : random.Next(4)).ToArray();
            var expected = serial.Run(key)!;
            Assert.That(grid!.Run(key), Is.EqualTo(expected));
            Assert.That(p.Verify(expected, checkMemory: false), Is.Null);
        }
    }
}
