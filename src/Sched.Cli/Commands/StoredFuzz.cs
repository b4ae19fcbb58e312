using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sched.Cli.Output;
using Sched.Compiler;
using Sched.FaultInjection;

namespace Sched.Cli.Commands;

/// <summary>
/// <c>sched bench stored FILE... --cases N --seed S</c>: the structured fuzzer for what CI trusts. Each case edits a valid
/// stored schedule blindly (a field set to 0, -1, 2^63-1, a neighbour's value or garbage; a line deleted, duplicated or
/// swapped; a bit flipped) or as an attacker would, and verifies it. A case is wrongly accepted when verification passes
/// but the independent reference checker finds the schedule invalid or its values differ; a crash is any exception; a
/// hang is a case over 10 s.
/// </summary>
internal static class StoredFuzz
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = ".sched programs whose stored schedules to edit",
            Arity = ArgumentArity.OneOrMore };
        var cases = new Option<int>("--cases") { Description = "cases in all, spread over the files", DefaultValueFactory = _ => 100_000 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var command = new Command("stored", "Fuzz stored schedule files and count crashes, hangs and wrongly accepted cases") { files,
            cases, seed };
        command.SetAction(result =>
        {
            var compiled = new List<(string Path, CompileResult Result, string Text)>();
            foreach (var path in Globs.Expand(result.GetValue(files)!))
            {
                if (CommonOptions.Read(path) is not { } source) return ExitCodes.InputDiagnostics;
                var c = Compilation.Compile(source, new CompileOptions(Functional: FunctionalMode.Auto));
                if (CommonOptions.Report(c.Diagnostics) || c.Schedule is null) return ExitCodes.InputDiagnostics;
                compiled.Add((path, c, StoredVerdict.Text(c)));
            }
            return Run(compiled, result.GetValue(cases), result.GetValue(seed));
        });
        return command;
    }

    private static int Run(List<(string Path, CompileResult Result, string Text)> compiled, int total, int seed)
    {
        var random = new Random(seed);
        var counts = new Dictionary<string, int>();
        var clock = Stopwatch.StartNew();
        var slowest = 0.0;
        Output.Terminal.WithProgress(Output.Terminal.Create(), $"fuzzing {total} stored schedules", total, tick =>
        {
            for (var n = 0; n < total; n++, tick())
            {
                var (path, c, text) = compiled[n % compiled.Count];
                var kinds = n % 4 == 3 ? TextMutator.Attacks : TextMutator.Blind;
                // One case in a hundred flips a bit of the built assembly's schedule resource instead.
                var edit = n % 100 == 99 ? (TextMutation.FlipBit, "", "a bit of the assembly's schedule resource flipped")
                    : TextMutator.Mutate(text, random, kinds);
                if (edit is not { } e0) continue;
                var started = clock.Elapsed.TotalSeconds;
                string verdict;
                try
                {
                    var (judged, detail) = e0.Text.Length == 0 ? FlipResource(c, random) : StoredVerdict.Judge(c, e0.Text);
                    verdict = judged.ToString();
                    if (judged == Judged.WronglyAccepted)
                        Console.WriteLine($"WRONGLY ACCEPTED {Path.GetFileName(path)}: {e0.What}: {detail}");
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    verdict = "Crashed";
                    Console.WriteLine($"CRASH {Path.GetFileName(path)}: {e0.What}: {e.GetType().Name}: {e.Message}");
                }
                var seconds = clock.Elapsed.TotalSeconds - started;
                slowest = Math.Max(slowest, seconds);
                if (seconds > 10) verdict = "Hung";
                counts[verdict] = counts.GetValueOrDefault(verdict) + 1;
            }
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cases: {counts.Values.Sum()}  rejected: {counts.GetValueOrDefault("Rejected")}  " +
            $"harmless: {counts.GetValueOrDefault("Harmless")}  " +
            $"wrongly accepted: {counts.GetValueOrDefault("WronglyAccepted")}  crashes: {counts.GetValueOrDefault("Crashed")}  " +
            $"hangs: {counts.GetValueOrDefault("Hung")}  time: {clock.Elapsed.TotalSeconds:F0} s  slowest case: {slowest:F2} s"));
        var bad = counts.GetValueOrDefault("WronglyAccepted") + counts.GetValueOrDefault("Crashed") + counts.GetValueOrDefault("Hung");
        return bad == 0 ? ExitCodes.Ok : ExitCodes.VerificationFailed;
    }

    /// <summary>A built assembly with one bit of its schedule resource flipped must refuse the resource (SCH3014).</summary>
    private static (Judged, string) FlipResource(CompileResult c, Random random)
    {
        var blob = Runtime.Schedules.ScheduleFormat.Write(c.Schedule!);
        var at = c.Assembly!.AsSpan().IndexOf(blob);
        if (at < 0) return (Judged.WronglyAccepted, "the resource is not in the assembly as written");
        var flipped = (byte[])c.Assembly!.Clone();
        var bit = random.Next(blob.Length * 8);
        flipped[at + bit / 8] ^= (byte)(1 << (bit % 8));
        var run = Compiler.Emit.InProcess.Run(c with { Assembly = flipped });
        return run.Violations.Any(v => v.Kind == Runtime.Verification.ViolationKind.ScheduleRejected)
            ? (Judged.Rejected, "SCH3014") : (Judged.WronglyAccepted, $"bit {bit} of the resource was accepted");
    }
}
