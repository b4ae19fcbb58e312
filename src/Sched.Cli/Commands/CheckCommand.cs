using System.CommandLine;
using Sched.Compiler;

namespace Sched.Cli.Commands;

/// <summary><c>sched check FILE...</c>: parse and bind, print diagnostics.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = ".sched files to check", Arity = ArgumentArity.OneOrMore };
        var set = CommonOptions.Set();
        var command = new Command("check", "Parse and bind programs and print their diagnostics") { files, set };
        command.SetAction(result =>
        {
            if (CommonOptions.Overrides(result.GetValue(set)) is not { } overrides) return ExitCodes.InputDiagnostics;
            var exit = ExitCodes.Ok;
            foreach (var path in result.GetValue(files)!)
            {
                if (CommonOptions.Read(path) is not { } source) { exit = ExitCodes.InputDiagnostics; continue; }
                if (CommonOptions.Report(Compilation.Check(source, overrides))) exit = ExitCodes.InputDiagnostics;
                else Console.WriteLine($"{path}: ok");
            }
            return exit;
        });
        return command;
    }
}
