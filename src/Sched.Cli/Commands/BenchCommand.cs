using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sched.Compiler.Scheduling;
using Sched.Compiler.Scheduling.Import;

namespace Sched.Cli.Commands;

/// <summary><c>sched bench psplib DIR</c> and <c>sched bench scale --ops N</c>: the scheduling core's quality and speed.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks of the scheduling core (quality on PSPLIB, speed at scale)");
        bench.Subcommands.Add(Psplib());
        bench.Subcommands.Add(ScaleBench.Create());
        bench.Subcommands.Add(ChipsBench.Create());
        bench.Subcommands.Add(FaultBench.Create());
        bench.Subcommands.Add(StoredFuzz.Create());
        return bench;
    }

    private static Command Psplib()
    {
        var dir = new Argument<string>("dir") { Description = "a folder of PSPLIB .sm or ProGen/max .SCH instances" };
        var optima = new Option<string?>("--optima") { Description = "problem,optimum CSV (default: DIR/optimum.csv when present)" };
        var timeLimit = new Option<int>("--time-limit-ms") { Description = "wall-clock cap per instance", DefaultValueFactory = _ => 1000 };
        // By default the time limit decides; a pass count that binds first makes a run reproducible exactly.
        var passes = new Option<int>("--passes") { Description = "sampling passes per instance after the first (a cap to reproduce a run)",
            DefaultValueFactory = _ => 1_000_000 };
        var seed = new Option<int>("--seed") { Description = "seed of the sampling", DefaultValueFactory = _ => 1 };
        var seeds = new Option<int>("--seeds") { Description = "runs with this many seeds from --seed, and their mean",
            DefaultValueFactory = _ => 1 };
        var prove = new Option<long>("--prove-nodes") { Description = "branch-and-bound nodes after the heuristic (up to 64 operations)",
            DefaultValueFactory = _ => 100_000 };
        var firstJobs = new Option<int?>("--first-jobs")
        {
            Description = "cut each instance to its first K jobs (hard small instances from a larger set; known optima then do not apply)",
        };
        var command = new Command("psplib", "Solve and verify every instance in a folder, against known optima") { dir, optima,
            timeLimit, passes, seed, seeds, prove, firstJobs };
        command.SetAction(result =>
        {
            var folder = result.GetValue(dir)!;
            if (!Directory.Exists(folder))
            {
                Console.Error.WriteLine($"{folder}: error SCH0004: no such folder");
                return ExitCodes.InputDiagnostics;
            }
            var files = Directory.GetFiles(folder).Where(f => f.EndsWith(".sm", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".sch",
                StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).ToList();
            var cut = result.GetValue(firstJobs);
            var known = cut is null ? ReadOptima(result.GetValue(optima) ?? Path.Combine(folder, "optimum.csv")) : [];
            var count = result.GetValue(seeds);
            if (count < 1 || cut < 1)
            {
                Console.Error.WriteLine($"sched: error SCH2005: {(count < 1 ? "--seeds" : "--first-jobs")} must be at least 1");
                return ExitCodes.InputDiagnostics;
            }
            if (cut is not null && result.GetValue(optima) is not null)
            {
                Console.Error.WriteLine(
                    "sched: error SCH2005: --optima does not apply with --first-jobs (the cut instances' optima are unknown)");
                return ExitCodes.InputDiagnostics;
            }
            var first = result.GetValue(seed);
            var runs = new List<SetSummary>();
            for (var k = 0; k < count; k++)
            {
                if (count > 1) Console.WriteLine($"seed {first + k}:");
                runs.Add(Run(files, known, new SolverOptions(result.GetValue(passes), result.GetValue(timeLimit), first + k,
                    ProveNodes: result.GetValue(prove)), cut));
            }
            // Several seeds: the mean of each measure over them, and each seed's, since a single seed's spread hides small changes.
            if (count > 1)
            {
                string Each(Func<SetSummary, double> f) =>
                    string.Join(", ", runs.Select(r => f(r).ToString("F2", CultureInfo.InvariantCulture)));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"over seeds {first}..{first + count - 1}: from the critical-path bound {runs.Average(r => r.FromPath):F2}% " +
                    $"({Each(r => r.FromPath)}), from the best known makespan {runs.Average(r => r.FromBest):F2}% " +
                    $"({Each(r => r.FromBest)})"));
            }
            return runs.All(r => r.Failures == 0) ? ExitCodes.Ok : ExitCodes.VerificationFailed;
        });
        return command;
    }

    /// <summary>One run over a set: its failures and its means from the critical-path bound and from the best known makespans.</summary>
    private sealed record SetSummary(int Failures, double FromPath, double FromBest);

    /// <summary>Solves and verifies every instance with the options, prints a line each and the set's summary.</summary>
    private static SetSummary Run(List<string> files, Dictionary<string, Optimum> known, SolverOptions options, int? firstJobs)
    {
        var results = files.Select(file => Instance(file, known, options, firstJobs)).ToList();
        var deviations = results.Select(r => r.Deviation).OfType<double>().ToList();
        var fromBest = results.Select(r => r.FromBest).OfType<double>().ToList();
        var fromPath = results.Select(r => r.FromPath).OfType<double>().ToList();
        double Mean(List<double> d) => d.Count > 0 ? d.Average() : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"instances: {files.Count}  feasible: {results.Count(r => r.Feasible)}  optimal: {results.Count(r => r.Optimal)} " +
            $"({results.Count(r => r.Proved)} proved)  mean deviation: {Mean(deviations):F2}%  " +
            $"max deviation: {(deviations.Count > 0 ? deviations.Max() : 0):F2}%  " +
            $"mean time: {Mean(results.Select(r => r.Ms).OfType<double>().ToList()):F0} ms"));
        // The literature's measures: j60 and j120 report the mean deviation from the critical-path lower bound; the best
        // known makespan is the upper end of a lo..hi range (the optimum where it is proved).
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mean deviation from the critical-path bound: {Mean(fromPath):F2}% ({fromPath.Count} solved)  " +
            $"from the best known makespan: {Mean(fromBest):F2}% ({fromBest.Count} with one known)"));
        return new SetSummary(results.Count(r => r.Failed), Mean(fromPath), Mean(fromBest));
    }

    /// <summary>What one instance gave: each measure null where it does not apply (no schedule, no known optimum).</summary>
    private sealed record InstanceResult(bool Feasible = false, bool Optimal = false, bool Proved = false, bool Failed = false,
        double? Deviation = null, double? FromBest = null, double? FromPath = null, double? Ms = null);

    /// <summary>Reads, solves and verifies one instance and prints its line.</summary>
    private static InstanceResult Instance(string file, Dictionary<string, Optimum> known, SolverOptions options, int? firstJobs)
    {
        var name = Path.GetFileName(file);
        Problem problem;
        try { problem = PsplibFormat.Read(file); }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"{file}: error SCH2004: {e.Message}");
            return new InstanceResult(Failed: true);
        }
        if (firstJobs is { } jobs) problem = PsplibFormat.FirstJobs(problem, jobs);
        var clock = Stopwatch.StartNew();
        var outcome = Solver.Solve(problem, options);
        var ms = clock.Elapsed.TotalMilliseconds;
        known.TryGetValue(name, out var optimum);
        var (line, result) = outcome.Solution is { } s ? Solved(problem, s, optimum)
            : optimum is { Unsat: true } && outcome.ProvedInfeasible
                ? ($"infeasible (correct: {outcome.Failure})", new InstanceResult(Optimal: true, Proved: true))
                : ($"FAILED: {outcome.Failure}", new InstanceResult(Failed: true));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-14} {line}  {ms,8:F1} ms"));
        return result with { Ms = ms };
    }

    /// <summary>A solved instance's line and measures against its known optimum, if any, and its critical path.</summary>
    private static (string Line, InstanceResult Result) Solved(Problem problem, Solution s, Optimum? optimum)
    {
        var result = new InstanceResult(Feasible: true, Proved: s.Makespan == s.Bound.Cycles);
        string line;
        if (optimum is { Unsat: true })
        {
            result = result with { Failed = true };
            line = $"{s.Makespan,6}  known infeasible, yet a schedule verified: CHECK THE DATA";
        }
        else if (optimum is { } o)
        {
            // From the lower end of a range only when one is known; "..hi" has only a best known makespan.
            var deviation = o.Low > 0 ? 100.0 * (s.Makespan - o.Low) / o.Low : (double?)null;
            var best = 100.0 * (s.Makespan - o.High) / o.High;
            result = result with { Deviation = deviation, FromBest = best, Optimal = s.Makespan <= o.Low };
            var low = deviation is { } d ? string.Create(CultureInfo.InvariantCulture, $"{d,6:F2}%") : "      -";
            line = string.Create(CultureInfo.InvariantCulture,
                $"{s.Makespan,6}  optimum {o.Text,-9} deviation {low}  from best known {best,6:F2}%");
            // A bound above a makespan someone has reached is wrong: the data or our proof.
            if (s.Bound.Cycles > o.High)
            {
                result = result with { Failed = true };
                line += $"  BOUND {s.Bound.Cycles} ABOVE THE BEST KNOWN: CHECK";
            }
        }
        else line = $"{s.Makespan,6}  (no known optimum)";
        var path = LowerBound.CriticalPath(problem);
        if (path > 0) result = result with { FromPath = 100.0 * (s.Makespan - path) / path };
        return (line + $"  bound {s.Bound.Cycles} ({s.Bound.Kind})  critical path {path}  {s.Passes} passes", result);
    }

    /// <summary>A known optimum "v", a range "lo..hi" (proved bounds) or "..hi" (only a best known makespan), or "unsat".</summary>
    private sealed record Optimum(string Text, long Low, long High, bool Unsat);

    private static Dictionary<string, Optimum> ReadOptima(string path)
    {
        var optima = new Dictionary<string, Optimum>();
        if (!File.Exists(path)) return optima;
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var parts = line.Split(',');
            if (parts.Length < 2) continue;
            var value = parts[1].Trim();
            if (value == "unsat") optima[parts[0].Trim()] = new Optimum(value, 0, 0, true);
            else
            {
                var ends = value.Split("..");
                var low = long.TryParse(ends[0], out var l) ? l : 0;
                if (long.TryParse(ends[^1], out var high)) optima[parts[0].Trim()] = new Optimum(value, low, high, false);
            }
        }
        return optima;
    }
}
