using System.Diagnostics;

namespace Sched.Compiler.Scheduling;

/// <summary>
/// How hard the solver tries: sampling passes after the first, a wall-clock cap on them, the seed, and the nodes of branch and
/// bound after the heuristic for problems of at most 64 operations (0: none; compiles leave it off, benchmarks turn it on).
/// </summary>
public sealed record SolverOptions(int Passes = 32, int TimeLimitMs = 1000, int Seed = 1, bool Justify = true, long ProveNodes = 0);

/// <summary>A verified schedule with its makespan and the best lower bound known for the problem.</summary>
public sealed record Solution(long[] Starts, long Makespan, LowerBound Bound, int Passes)
{
    public double Ratio => Bound.Cycles > 0 ? (double)Makespan / Bound.Cycles : 1;
}

/// <summary>Either a solution or the reason there is none (infeasible, or none found).</summary>
public sealed record SolveOutcome(Solution? Solution, string? Failure, bool ProvedInfeasible);

/// <summary>
/// The scheduling core's heuristic: serial schedule generation by latest-start priority, forward–backward
/// improvement (justification) of every schedule, then a biased random-key genetic algorithm (<see cref="Island"/>), two
/// islands on two cores for problems below 20,000 operations; it stops at the lower bound, after the passes, or at the time
/// limit. The same seed and passes give the same schedule, however the threads interleave (the time limit only cuts passes
/// short). Small problems with maximum lags also get <see cref="ExactSearch"/>, and with <see cref="SolverOptions.ProveNodes"/>
/// problems of up to 64 operations a branch and bound after the heuristic. Above 150,000 operations one serial pass (no
/// justification) while the strong bound is computed on the other core; above 1,500,000 the parallel scheme. Every answer is
/// verified.
/// </summary>
public static class Solver
{
    // Above this many operations one serial pass takes seconds: no justification (it would take two more), and the strong bound
    // is computed on the other core meanwhile.
    private const int OnePassAbove = 150_000;
    // Above this many the O(n log n) parallel scheme, whose schedules are longer but whose time cannot grow faster than n log n.
    private const int ParallelAbove = 1_500_000;
    private const int ExactBelow = 40;
    // Branch and bound after the heuristic up to this many operations: on j60-dev it proves 2 more optimal in what the passes
    // leave of the second; at j120's 122 it proved none more (its root propagation alone costs O(n³)).
    private const int ProveBelow = 64;
    private const int IslandsBelow = 20_000;
    private const long ExactNodes = 1_000_000;

    public static SolveOutcome Solve(Problem problem, SolverOptions? options = null)
    {
        options ??= new SolverOptions();
        var clock = Stopwatch.StartNew();
        // Searches stop a little before the cap (2% and at least 2 ms), so joining the threads, checking and verifying the answer
        // fit in it (at 1% a j120 instance took 998–1,001 ms of 1,000, the first of a run the longest: the JIT).
        if (options.TimeLimitMs < int.MaxValue)
            options = options with { TimeLimitMs = Math.Max(1, options.TimeLimitMs - Math.Max(2, options.TimeLimitMs / 50)) };
        for (var i = 0; i < problem.Count; i++)
            foreach (var d in problem.Demands[i])
                if (d.Amount > problem.Capacities[d.Resource])
                    return new SolveOutcome(null,
                        $"operation {i} needs {d.Amount} of {problem.ResourceNames[d.Resource]}, which has " +
                        $"{problem.Capacities[d.Resource]}", true);

        var graph = new Graph(problem);
        var earliest = Temporal.EarliestStarts(problem, graph, out var cycle);
        if (earliest is null)
            return new SolveOutcome(null, $"the time lags contradict each other around operations {string.Join(" → ", cycle.Take(12))}",
                true);
        var tails = Tails(problem, graph);
        // A large problem's strong bound (heads and tails of every resource) takes about as long as its schedule: it is computed on
        // the other core meanwhile, and the search stops at the cheap one (critical path and load), which cannot depend on timing.
        var strong = problem.Count > OnePassAbove ? Task.Run(() => LowerBound.Of(problem, graph, earliest, tails)) : null;
        var bound = strong is null ? LowerBound.Of(problem, graph, earliest, tails) : LowerBound.Of(problem, graph, earliest, null);
        if (problem.Count <= EnergeticBound.MaxOperations && problem.Windows.Count == 0)
            bound = bound.Max(new LowerBound(EnergeticBound.Of(problem, earliest, tails, bound.Cycles), "energetic reasoning"));
        // The largest problems with minimum lags only take the parallel scheme; the rest the serial one.
        var parallel = problem.Count > ParallelAbove && !problem.HasNegativeLags && problem.Windows.Count == 0;
        Func<double[], long[]?> generate = parallel
            ? new ParallelGenerator(problem, graph).Run
            : Serial(problem, graph, earliest);
        var mirror = problem.Windows.Count == 0 && options.Justify && (problem.Count <= OnePassAbove || parallel)
            ? Mirror(problem, parallel) : null;

        long[]? best = null;
        var bestMakespan = long.MaxValue;
        var passes = 0;
        // Small problems with maximum lags first get a short complete search, whose propagation alone proves most infeasible ones,
        // and keep half the time for a longer one if the heuristic finds nothing. Branch and bound after the heuristic gets at least
        // a quarter (j60-dev, four seeds, the time deciding: the same 13 proofs, 0.97% above the best known; 0.99% at 15,000 passes).
        var exactToo = problem.HasNegativeLags && problem.Count <= ExactBelow;
        var proveAfter = problem.Count <= ProveBelow && options.ProveNodes > 0 && problem.Windows.Count == 0;
        var heuristicMs = exactToo ? options.TimeLimitMs / 2 : proveAfter ? options.TimeLimitMs / 4 * 3 : options.TimeLimitMs;
        if (exactToo)
            switch (ExactSearch.Run(problem, ExactNodes / 100, options.TimeLimitMs / 10, out var quick, out _))
            {
                case ExactSearch.Result.Infeasible:
                    return new SolveOutcome(null, "no schedule exists: a complete search of every start within the horizon found none",
                        true);
                case ExactSearch.Result.Found:
                    (best, bestMakespan) = (quick, problem.Makespan(quick!));
                    break;
            }

        // One island of the genetic search a core (two here) for problems small enough that threads pay, each with its own seed
        // and its share of the passes; the best wins, ties to the first island, so the answer does not depend on the threads.
        // Odd islands search the problem in reverse time (see Reversed) when no operation has a latency past its end, which the
        // mirror leaves out (it would be a release time there).
        var reversible = mirror is not null && problem.Latencies.All(l => l == 0);
        var islands = problem.Count <= IslandsBelow ? Math.Clamp(Environment.ProcessorCount, 1, 2) : 1;
        var found = new Island.Result[islands];
        Parallel.For(0, islands, k =>
        {
            var setup = new Island.Setup(problem, generate, mirror, tails, bound.Cycles, options.Seed + 7919 * k,
                options.Passes / islands, heuristicMs, options.TimeLimitMs, clock);
            found[k] = k % 2 == 1 && reversible ? Reversed(setup, mirror!.Value) : Island.Run(setup);
        });
        foreach (var r in found)
        {
            passes += r.Passes;
            if (r.Best is not null && r.Makespan < bestMakespan) (best, bestMakespan) = (r.Best, r.Makespan);
        }
        if (best is null && problem.Count <= ExactBelow)
        {
            // The heuristic can miss narrow windows that maximum lags leave; a complete search settles small cases.
            var left = Math.Max(1, (long)options.TimeLimitMs - clock.ElapsedMilliseconds);
            switch (ExactSearch.Run(problem, ExactNodes, left, out var exact, out _))
            {
                case ExactSearch.Result.Infeasible:
                    return new SolveOutcome(null, "no schedule exists: a complete search of every start within the horizon found none",
                        true);
                case ExactSearch.Result.Found:
                    best = exact;
                    bestMakespan = problem.Makespan(exact!);
                    break;
            }
        }
        // Branch and bound gets what the heuristic's passes leave, at least a quarter of the time.
        if (best is not null && proveAfter)
            (best, bestMakespan, bound) = Shorten(problem, best, bound, options, clock);
        if (best is null)
            return new SolveOutcome(null, problem.HasNegativeLags
                ? "no schedule found that keeps every maximum time lag (the problem may be infeasible)"
                : "no schedule found", false);
        if (problem.Verify(best,
            checkMemory: false) is { } broken) throw new InvalidOperationException($"the solver broke a rule: {broken}");
        if (strong is not null) bound = bound.Max(strong.Result);
        return new SolveOutcome(new Solution(best, bestMakespan, bound, passes), null, false);
    }

    /// <summary>
    /// Branch and bound for small problems: a complete search for a schedule one cycle shorter than the best, again after each
    /// one found, until none exists (the best is optimal, and that is the bound) or the nodes or the time run out. Most proofs
    /// come from the root's propagation alone (the j30 samples': 4 of 5).
    /// </summary>
    private static (long[] Best, long Makespan, LowerBound Bound) Shorten(Problem problem, long[] best, LowerBound bound,
        SolverOptions options, Stopwatch clock)
    {
        var makespan = problem.Makespan(best);
        var nodes = options.ProveNodes;
        while (makespan > bound.Cycles && nodes > 0)
        {
            var left = (long)options.TimeLimitMs - clock.ElapsedMilliseconds;
            if (left <= 0) break;
            var result = ExactSearch.Run(problem, nodes, left, out var shorter, out var used, deadline: makespan - 1);
            nodes -= used;
            if (result == ExactSearch.Result.Infeasible) return (best, makespan, new LowerBound(makespan, "complete search"));
            if (result != ExactSearch.Result.Found) break;
            (best, makespan) = (shorter!, problem.Makespan(shorter!));
        }
        return (best, makespan, bound);
    }

    /// <summary>
    /// An island on the mirror problem: its keys order finishes, its schedules are built from the end and justified against the
    /// problem itself, and its best is turned back into forward time. The two directions reach different schedules (j60-dev /
    /// j120-dev, eight seeds, 1 s: 0.94% / 2.88% above the best known with two forward islands, 0.84% / 2.79% with one reversed).
    /// </summary>
    internal static Island.Result Reversed(Island.Setup forward, (Problem Problem, Func<double[], long[]?> Generate) mirror)
    {
        var (problem, reverse) = (forward.Problem, mirror.Problem);
        var found = Island.Run(forward with
        {
            Problem = reverse, Generate = mirror.Generate, Mirror = (problem, forward.Generate), Tails = Tails(reverse, new Graph(reverse)),
        });
        if (found.Best is not { } back) return found;
        // S = M − S' − d, M the mirror schedule's makespan: the last to finish in reverse time starts first.
        var end = reverse.Makespan(back);
        var starts = new long[back.Length];
        for (var i = 0; i < back.Length; i++) starts[i] = end - back[i] - problem.Durations[i];
        return found with { Best = starts, Makespan = problem.Makespan(starts) };
    }

    /// <summary>Each value's rank scaled to [0, 1): keys of different origins become comparable for crossover.</summary>
    internal static double[] Ranks(double[] values)
    {
        // Sorted with their indices, ties in index order: (value, index) is a total order, so the same ranks on any run.
        var keys = (double[])values.Clone();
        var order = new int[values.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        PairSort.Sort(keys, order, 0, keys.Length);
        var ranks = new double[values.Length];
        for (var r = 0; r < order.Length; r++) ranks[order[r]] = (double)r / Math.Max(1, values.Length);
        return ranks;
    }

    /// <summary>Longest path from each operation's start to the end of the schedule (its "tail").</summary>
    internal static long[] Tails(Problem problem, Graph graph)
    {
        var n = problem.Count;
        var tail = new long[n];
        for (var i = 0; i < n; i++) tail[i] = problem.Durations[i] + problem.Latencies[i];
        if (Temporal.TopologicalOrder(n, graph) is { } order)
        {
            for (var k = n - 1; k >= 0; k--)
            {
                var i = order[k];
                for (var e = graph.SuccStart[i]; e < graph.SuccStart[i + 1]; e++)
                    tail[i] = Math.Max(tail[i], graph.SuccLag[e] + tail[graph.Succ[e]]);
            }
            return tail;
        }
        // With cycles (maximum lags) relax to a fixed point; the positive-cycle check has already passed.
        for (var round = 0; round < n; round++)
        {
            var changed = false;
            for (var i = 0; i < n; i++)
                for (var e = graph.SuccStart[i]; e < graph.SuccStart[i + 1]; e++)
                    if (graph.SuccLag[e] + tail[graph.Succ[e]] > tail[i])
                    {
                        tail[i] = graph.SuccLag[e] + tail[graph.Succ[e]];
                        changed = true;
                    }
            if (!changed) break;
        }
        return tail;
    }

    /// <summary>The problem in reverse time: S' = M − S − d, each lag turned around.</summary>
    internal static (Problem Problem, Func<double[], long[]?> Generate)? Mirror(Problem problem, bool parallel)
    {
        var m = new Problem(problem.ResourceNames, problem.Capacities);
        for (var i = 0; i < problem.Count; i++) m.AddOperation(problem.Durations[i], 0, problem.Demands[i]);
        foreach (var d in problem.Dependences)
            m.AddDependence(d.To, d.From, d.MinLag + problem.Durations[d.To] - problem.Durations[d.From]);
        var graph = new Graph(m);
        var earliest = Temporal.EarliestStarts(m, graph, out _);
        if (earliest is null) return null;
        return (m, parallel ? new ParallelGenerator(m, graph).Run : Serial(m, graph, earliest));
    }

    /// <summary>The serial scheme, on a time grid when the problem is small and has minimum lags only (same schedules, faster).</summary>
    private static Func<double[], long[]?> Serial(Problem problem, Graph graph, long[] earliest) =>
        GridGenerator.For(problem, graph, earliest) is { } grid ? grid.Run : new SerialGenerator(problem, graph, earliest).Run;

    /// <summary>Forward–backward improvement: right-justify in finish order, left-justify in that order, while it helps.</summary>
    internal static long[] Justify(Problem problem, (Problem Problem, Func<double[], long[]?> Generate)? mirror,
        Func<double[], long[]?> forward, long[] starts, Stopwatch clock, int timeLimitMs)
    {
        if (mirror is not { } mm) return starts;
        var n = problem.Count;
        var best = starts;
        var bestMakespan = problem.Makespan(starts);
        // Large problems get two rounds: most of the gain comes first, and each round is two full passes.
        var rounds = n > ParallelAbove ? 2 : 8;
        for (var round = 0; round < rounds && clock.ElapsedMilliseconds <= timeLimitMs; round++)
        {
            var backKey = new double[n];
            for (var i = 0; i < n; i++) backKey[i] = -(best[i] + problem.Durations[i]);
            var back = mm.Generate(backKey);
            if (back is null) break;
            var forwardKey = new double[n];
            for (var i = 0; i < n; i++) forwardKey[i] = -(back[i] + problem.Durations[i]);
            var next = forward(forwardKey);
            if (next is null) break;
            var makespan = problem.Makespan(next);
            if (makespan >= bestMakespan) break;
            best = next;
            bestMakespan = makespan;
        }
        return best;
    }
}
