using System.CommandLine;
using Sched.Cli.Output;
using Sched.Compiler;

namespace Sched.Cli.Commands;

/// <summary><c>sched check FILE...</c>: parse and bind, print diagnostics.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = ".sched files to check", Arity = ArgumentArity.OneOrMore };
        var set = CommonOptions.Set();
        var format = CommonOptions.Format();
        var command = new Command("check", "Parse, bind and place programs (capacities included) and print their diagnostics")
            { files, set, format };
        command.SetAction(result =>
        {
            if (CommonOptions.Overrides(result.GetValue(set)) is not { } overrides) return ExitCodes.InputDiagnostics;
            var outcomes = Globs.Expand(result.GetValue(files)!).Select(path => Check(path, overrides)).ToList();
            if (result.GetValue(format) == OutputFormat.Human)
                foreach (var o in outcomes.Where(o => o.ExitCode != ExitCodes.Ok))
                {
                    // Diagnostics go to stderr, as compilers print them; the verdicts to stdout.
                    foreach (var d in o.Diagnostics) Console.Error.WriteLine(d.Render());
                    if (o.ReadError is not null) Console.Error.WriteLine($"{o.File}: error SCH0004: {o.ReadError}");
                }
            if (result.GetValue(format) == OutputFormat.Human)
                foreach (var o in outcomes.Where(o => o.ExitCode == ExitCodes.Ok)) Console.WriteLine($"{o.File}: ok");
            else Console.Out.Write(Formats.Render(result.GetValue(format), outcomes));
            return outcomes.Max(o => o.ExitCode);
        });
        return command;
    }

    private static Outcome Check(string path, Dictionary<string, string> overrides)
    {
        if (CommonOptions.TryReadText(path, CommonOptions.MaxSourceBytes, "program", out var text) is { } error)
            return new Outcome(path, [], null, ExitCodes.InputDiagnostics, null) { ReadError = error };
        var diagnostics = Compilation.Check(Language.Text.SourceText.From(text!, path), overrides);
        var failed = diagnostics.Any(d => d.Severity == Language.Diagnostics.Severity.Error);
        return new Outcome(path, diagnostics, null, failed ? ExitCodes.InputDiagnostics : ExitCodes.Ok, null);
    }
}
