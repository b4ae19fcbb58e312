using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sched.Compiler.Scheduling;
using Sched.Compiler.Scheduling.Generation;

namespace Sched.Cli.Commands;

/// <summary><c>sched bench scale --ops N</c>: schedule and verify a generated decode step of N operations.</summary>
internal static class ScaleBench
{
    public static Command Create()
    {
        var ops = new Option<int>("--ops") { Description = "number of operations", DefaultValueFactory = _ => 100_000 };
        var passes = new Option<int>("--passes") { Description = "sampling passes after the first", DefaultValueFactory = _ => 0 };
        var justify = new Option<bool>("--justify") { Description = "forward–backward improvement of the schedule",
            DefaultValueFactory = _ => true };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var command = new Command("scale", "Schedule and verify a generated transformer decode step of N operations") { ops, passes,
            justify, seed };
        command.SetAction(result =>
        {
            var n = result.GetValue(ops);
            if (n < 10)
            {
                Console.Error.WriteLine("sched: error SCH2005: --ops must be at least 10");
                return ExitCodes.InputDiagnostics;
            }
            var problem = DecodeStepProblem.Generate(n, result.GetValue(seed));
            var clock = Stopwatch.StartNew();
            var outcome = Solver.Solve(problem, new SolverOptions(result.GetValue(passes), int.MaxValue, result.GetValue(seed),
                result.GetValue(justify)));
            var schedule = clock.Elapsed.TotalSeconds;
            if (outcome.Solution is not { } solution)
            {
                Console.WriteLine($"FAILED: {outcome.Failure}");
                return ExitCodes.VerificationFailed;
            }
            clock.Restart();
            var broken = problem.Verify(solution.Starts);
            var verify = clock.Elapsed.TotalSeconds;
            var peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1e6;
            if (broken is not null) Console.WriteLine($"FAILED: {broken}");
            var ratio = solution.Ratio;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ops: {n}  schedule: {schedule:F2} s  verify: {verify:F2} s  peak memory: {peak:F0} MB  makespan/bound: {ratio:F3}"));
            return broken is null ? ExitCodes.Ok : ExitCodes.VerificationFailed;
        });
        return command;
    }
}
