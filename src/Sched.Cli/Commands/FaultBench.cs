using Sched.FaultInjection;
using System.CommandLine;
using Sched.Cli.Output;
using Spectre.Console;
using Sched.Compiler;
using Sched.Runtime;
using Sched.Runtime.Verification;

namespace Sched.Cli.Commands;

/// <summary>
/// <c>sched bench faults FILE... --mutations N --seed S</c>: mutate valid schedules and count what the verifier
/// (with functional mode) detects. An undetected mutation is harmless only when the independent
/// <see cref="ReferenceChecker"/> finds the mutated schedule valid and its outputs still equal the reference;
/// otherwise it is missed.
/// </summary>
internal static class FaultBench
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = ".sched programs whose schedules to mutate",
            Arity = ArgumentArity.OneOrMore };
        var mutations = new Option<int>("--mutations") { Description = "mutations in all, spread over the files",
            DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var verbose = new Option<bool>("--verbose") { Description = "print every mutation and its verdict" };
        var command = new Command("faults", "Inject faults into valid schedules and count how many the verifier catches") { files,
            mutations, seed, verbose };
        command.SetAction(result =>
        {
            var paths = Globs.Expand(result.GetValue(files)!);
            var compiled = new List<(string Path, CompileResult Result)>();
            foreach (var path in paths)
            {
                if (CommonOptions.Read(path) is not { } source) return ExitCodes.InputDiagnostics;
                var c = Compilation.Compile(source, new CompileOptions(Functional: FunctionalMode.Auto), emit: false);
                if (CommonOptions.Report(c.Diagnostics) || c.Schedule is null) return ExitCodes.InputDiagnostics;
                var machine = c.Program!.Target.Machine;
                if (Host.Run(machine, c.Schedule, []).Violations.Count > 0)
                {
                    Console.Error.WriteLine($"{path}: the unmutated schedule does not verify; fix that first");
                    return ExitCodes.VerificationFailed;
                }
                compiled.Add((path, c));
            }
            var random = new Random(result.GetValue(seed));
            var texts = compiled.Select(c => StoredVerdict.Text(c.Result)).ToList();
            int total = result.GetValue(mutations), detected = 0, harmless = 0, missed = 0;
            var byKind = new SortedDictionary<string, (int Detected, int Harmless, int Missed)>(StringComparer.Ordinal);
            var console = Terminal.Create();
            Terminal.WithProgress(console, $"injecting {total} faults", total, tick =>
            {
                for (var m = 0; m < total; m++, tick())
                {
                    var (path, c) = compiled[m % compiled.Count];
                    // Every third mutation edits the stored file instead, the way an attacker of a CI pipeline would.
                    var (kind, verdict, what) = m % 3 == 2 ? EditStored(c, texts[m % compiled.Count], random) : Mutate(c, random);
                    var counts = byKind.GetValueOrDefault(kind);
                    if (verdict.StartsWith("detected", StringComparison.Ordinal)) { detected++; counts.Detected++; }
                    else if (verdict == "harmless") { harmless++; counts.Harmless++; }
                    else { missed++; counts.Missed++; }
                    byKind[kind] = counts;
                    if (result.GetValue(verbose) || verdict.StartsWith("MISSED", StringComparison.Ordinal))
                        console.WriteLine($"{Path.GetFileName(path)}: {what}: {verdict}");
                }
            });
            foreach (var (kind, (d, h, x)) in byKind)
                Console.WriteLine($"  {kind,-24} detected {d,5}  harmless {h,5}  missed {x,3}");
            Console.WriteLine($"mutations: {total}  detected: {detected}  harmless: {harmless}  missed: {missed}");
            return missed == 0 ? ExitCodes.Ok : ExitCodes.VerificationFailed;
        });
        return command;
    }

    /// <summary>A mutation of the schedule itself, replayed and judged.</summary>
    private static (string Kind, string Verdict, string What) Mutate(CompileResult c, Random random)
    {
        var machine = c.Program!.Target.Machine;
        var (kind, mutated, what) = Mutator.Mutate(machine, c.Schedule!, random);
        var run = Host.Run(machine, mutated, []);
        if (run.Violations.Count > 0) return (kind.ToString(), $"detected ({run.Violations[0].Kind.Code()})", what);
        if (ReferenceChecker.IsValid(machine, mutated, out var reason) && !run.Functional.StartsWith("FAILED", StringComparison.Ordinal))
            return (kind.ToString(), "harmless", what);
        return (kind.ToString(), $"MISSED: {reason}", what);
    }

    /// <summary>An edit of the stored file (output removed, bound edited, tile resized, operand retargeted, store duplicated).</summary>
    private static (string Kind, string Verdict, string What) EditStored(CompileResult c, string text, Random random)
    {
        if (TextMutator.Mutate(text, random, TextMutator.Attacks) is not { } edit) return Mutate(c, random);
        var (verdict, detail) = StoredVerdict.Judge(c, edit.Text);
        var kind = $"stored: {edit.Kind}";
        return verdict switch
        {
            Judged.Rejected => (kind, $"detected ({detail})", edit.What),
            Judged.Harmless => (kind, "harmless", edit.What),
            _ => (kind, $"MISSED: {detail}", edit.What),
        };
    }
}
