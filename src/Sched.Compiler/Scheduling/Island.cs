using System.Diagnostics;

namespace Sched.Compiler.Scheduling;

/// <summary>
/// One island of the solver's biased random-key genetic algorithm: the latest-start priority first, then a population of 200
/// (30 with maximum lags) whose fifth of elites survive (distinct start orders, not near-copies of a better one), random
/// mutants explore (only with maximum lags: 5 of 30) and each child is an elite parent's start order but for one stretch, 30% of
/// its places, ranked as in any other individual; every schedule is justified forward and backward and its start order becomes
/// its key (Lamarckian). After 25 generations without a new best it restarts from that best, keys close to it and fresh keys.
/// It stops at the bound, after its passes or at the heuristic's deadline. Its own seed makes it reproducible on any thread.
/// </summary>
internal static class Island
{
    public sealed record Setup(Problem Problem, Func<double[], long[]?> Generate,
        (Problem Problem, Func<double[], long[]?> Generate)? Mirror, long[] Tails, long Bound, int Seed, int Passes, long DeadlineMs,
        int JustifyLimitMs, Stopwatch Clock);

    public sealed record Result(long[]? Best, long Makespan, int Passes);

    // Generations without a new best before a restart. Four seeds each, j60-dev / j120-dev above the best known: none 1.19% /
    // 3.02%, 15 0.99% / 3.08%, 25 1.07% / 2.97% (j120's spread between seeds is ±0.2%); keeping the 4 best instead of 1 lost.
    // With restarts around the best (RestartNoise), eight seeds at 1 s: 15 0.78% / 2.70%, 25 0.77% / 2.55%; 8 and 40 worse.
    private const int RestartAfter = 25;
    // How far a restart shakes the best's ranks. j60-dev / j120-dev above the best known, eight seeds at 1 s: 0.84% / 2.79%
    // restarting from the best and fresh keys only, 0.77% / 2.71% with half the population ±0.1 around it. ±0.3 leaves them as
    // they are (four seeds: 0.60% / 2.01% against 0.63% / 2.03%) but frees small problems: on 15 hard 30-job instances (the
    // first 30 jobs of the dev sets' instances), six seeds at 1 s, 52 cycles in all above the best found with ±0.1, 21 with ±0.3
    // (19 with ±0.5): ±0.1 moves a job past about 3 others there, a neighbourhood the population has already exhausted.
    private const double RestartNoise = 0.3;
    // Elites closer than this (mean places moved) to a better elite are left out. Keys are start orders, and a converged
    // population is mostly near-copies of its best: a j120 island's last new best came at about 400 ms of its second. Seeds
    // 1–16 at 1 s, j60-dev / j120-dev 0.46% / 1.87% above the best known against 0.61% / 2.03%; on the 15 hard 30-job cuts
    // (six seeds) the same makespans (4,743 against 4,742 in all). Four seeds on j120-dev: 0.25 1.84%, 0.5 1.75%, 1 1.90%,
    // 2 2.19%, 4 2.86% (too few elites left) against 2.01%. Identical schedules alone are 1–5% of passes.
    private const double EliteDistance = 0.5;
    // A child's share of the other parent: one stretch of the elite's start order (keys are start ranks, so a stretch of its time),
    // not 30% of the genes one by one, which keeps the elite's stretches whole. Eight seeds at 1 s, j60-dev / j120-dev 0.41% /
    // 1.64% above the best known against 0.47% / 1.86% gene by gene; j120-dev with stretches of 20% 1.83%, 45% 1.67%, 10–50% at
    // random 1.71%; RCPSP/max j20-dev (12 seeds) / j30-dev (four) 0.08% / −0.93% against 0.06% / −0.84%; the hard 30-job cuts alike.
    private const double BlockShare = 0.3;

    /// <summary>
    /// Ranks in the order of start, then of the old key, then of index: a counting sort by start when the starts span little more
    /// than the operations (a j120 schedule's do), else a general sort (the counting sort saves 3–6% of a j120 pass).
    /// </summary>
    internal static double[] StartOrder(long[] starts, double[] key)
    {
        var n = starts.Length;
        if (n == 0) return [];
        var (first, last) = (starts.Min(), starts.Max());
        if (last - first > 4L * n + 1024)
        {
            var order = new double[n];
            for (var i = 0; i < n; i++) order[i] = starts[i] + key[i] * 1e-9;
            return Solver.Ranks(order);
        }
        var at = new int[last - first + 2];
        foreach (var t in starts) at[t - first + 1]++;
        for (var c = 1; c < at.Length; c++) at[c] += at[c - 1];
        var sorted = new int[n];
        for (var i = 0; i < n; i++) sorted[at[starts[i] - first]++] = i;   // by start, then by index
        // Within a start, by key (insertion: a few operations each, and equal keys keep index order).
        for (var k = 1; k < n; k++)
        {
            var (i, m) = (sorted[k], k - 1);
            for (; m >= 0 && starts[sorted[m]] == starts[i] && key[sorted[m]] > key[i]; m--) sorted[m + 1] = sorted[m];
            sorted[m + 1] = i;
        }
        var ranks = new double[n];
        for (var r = 0; r < n; r++) ranks[sorted[r]] = (double)r / Math.Max(1, n);
        return ranks;
    }

    /// <summary>
    /// The best <paramref name="count"/> of a population sorted by makespan, each at least <see cref="EliteDistance"/> from those
    /// chosen before it: a converged population's near-copies of its best take no elite places (fewer elites then, not worse ones).
    /// </summary>
    internal static List<(double Makespan, double[] Key)> Elites(List<(double Makespan, double[] Key)> population, int count)
    {
        var chosen = new List<(double Makespan, double[] Key)>();
        foreach (var candidate in population)
        {
            if (chosen.Count >= count) break;
            if (chosen.All(c => Distance(c.Key, candidate.Key) >= EliteDistance)) chosen.Add(candidate);
        }
        return chosen;
    }

    /// <summary>
    /// A child: the elite parent's start order but for one stretch of it, a random <see cref="BlockShare"/> of its places, whose
    /// operations take the other parent's ranks — a two-point crossover of orders, where a gene-by-gene one scatters the same share.
    /// </summary>
    internal static double[] Cross(double[] elite, double[] other, Random random)
    {
        var from = random.NextDouble() * (1 - BlockShare);
        var child = new double[elite.Length];
        for (var i = 0; i < child.Length; i++) child[i] = elite[i] >= from && elite[i] < from + BlockShare ? other[i] : elite[i];
        return child;
    }

    /// <summary>How far apart two start orders are: the mean number of places an operation moves from one to the other.</summary>
    internal static double Distance(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++) sum += Math.Abs(a[i] - b[i]);
        return sum;   // ranks are place / n, so the sum over n operations is the mean of places moved
    }

    public static Result Run(Setup s)
    {
        var (problem, random) = (s.Problem, new Random(s.Seed));
        long[]? best = null;
        var bestMakespan = long.MaxValue;
        var passes = 0;
        (double Makespan, double[] Key)? Evaluate(double[] key)
        {
            passes++;
            var starts = s.Generate(key);
            if (starts is null) return null;
            if (s.Mirror is not null) starts = Solver.Justify(problem, s.Mirror, s.Generate, starts, s.Clock, s.JustifyLimitMs);
            var makespan = problem.Makespan(starts);
            if (makespan < bestMakespan) { best = starts; bestMakespan = makespan; }
            // Lamarckian: the individual now stands for the justified schedule, its key the start order — unless it was the last pass
            // (a single pass of a million operations would spend a tenth of its time ranking a key no one reads).
            return passes > s.Passes ? (makespan, key) : (makespan, StartOrder(starts, key));
        }
        bool Done() => bestMakespan <= s.Bound || passes > s.Passes || s.Clock.ElapsedMilliseconds > s.DeadlineMs;

        var latestStart = s.Tails.Select(t => -(double)t).ToArray();
        var population = new List<(double Makespan, double[] Key)>();
        if (Evaluate(latestStart) is { } first) population.Add(first);
        // The population: with maximum lags 30 (60 lost 0.56% on RCPSP/max j20-dev, gained 0.3% on j30-dev); with minimum lags
        // only 60 (instead of 30) once took j60-dev / j120-dev from 1.65–1.67% / 3.97–4.13% to 1.31–1.35% / 3.68–3.72% above the
        // best known (two seeds), and 120 now (below).
        // No random mutants with minimum lags only, since restarts bring in fresh and nearby keys: eight seeds at 1 s, j60-dev /
        // j120-dev 0.77% / 2.55% above the best known with 9, 0.84% / 2.44% with 3, 0.77% / 2.38% with none. With maximum lags
        // they stay: none left RCPSP/max j20-dev 0.23% above the best known against 0.08% (four seeds).
        // With those restarts and no mutants a larger population pays again (eight seeds at 1 s): 60 0.77% / 2.38%, 90 0.77% /
        // 2.27%, 120 0.68% / 2.08%; four seeds: 150 0.62% / 2.02%, 200 0.71% / 2.32%. A fifth are elites (a tenth or 30% lost).
        // With distinct elites and stretch children, larger still: j120-dev (eight seeds) 90 1.79%, 120 1.63%, 160 1.59%, 200
        // 1.54%, 240 1.55%; over 16 seeds 200 gives j60-dev / j120-dev 0.36% / 1.54% against 0.39% / 1.60% with 120.
        var (size, elites, mutants) = problem.HasNegativeLags ? (30, 6, 5) : (200, 40, 0);
        // Fills the population up with perturbed latest-start orders: at the start, and at each restart.
        void FillUp()
        {
            while (population.Count < size && !Done())
            {
                var key = Solver.Ranks(latestStart.Select(k => k * (1 + 0.6 * random.NextDouble())).ToArray());
                population.Add(Evaluate(key) ?? (double.MaxValue, key));
            }
        }
        FillUp();
        var (stale, lastBest) = (0, bestMakespan);
        while (!Done() && population.Count > 0)
        {
            population.Sort((a, b) => a.Makespan.CompareTo(b.Makespan));
            (stale, lastBest) = bestMakespan < lastBest ? (0, bestMakespan) : (stale + 1, lastBest);
            if (stale >= RestartAfter)
            {
                // A population that found nothing better in a while has converged: keep its best, half of it again as the best's
                // key shaken by up to ±RestartNoise (neighbours as good as it, not just strangers for it to beat), the rest afresh.
                stale = 0;
                population = population.Take(1).ToList();
                var bestKey = population[0].Key;
                while (population.Count < size / 2 && !Done())
                {
                    var key = bestKey.Select(k => k + RestartNoise * (2 * random.NextDouble() - 1)).ToArray();
                    population.Add(Evaluate(key) ?? (double.MaxValue, key));
                }
                FillUp();
                continue;
            }
            var next = Elites(population, elites);
            var parents = next.Count;
            for (var m = 0; m < mutants && !Done(); m++)
            {
                var key = Solver.Ranks(Enumerable.Range(0, problem.Count).Select(_ => random.NextDouble()).ToArray());
                next.Add(Evaluate(key) ?? (double.MaxValue, key));
            }
            while (next.Count < size && !Done())
            {
                var elite = next[random.Next(parents)].Key;
                // The second parent from anyone: from non-elites only (textbook) j120-dev lost 0.4%, from the best 24 j60 and j120 lost
                // (with stretches too: 1.75% against 1.64%), and so did choosing it by its distance to the elite (see the README).
                var other = population[random.Next(population.Count)].Key;
                var child = Cross(elite, other, random);
                next.Add(Evaluate(child) ?? (double.MaxValue, child));
            }
            population = next;
        }
        return new Result(best, bestMakespan, passes);
    }
}
