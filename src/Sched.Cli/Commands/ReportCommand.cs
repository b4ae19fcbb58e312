using System.CommandLine;
using Sched.Cli.Output;
using Sched.Compiler;
using Sched.Compiler.Emit;

namespace Sched.Cli.Commands;

/// <summary><c>sched report FILE -o OUT.html</c>: build, run and verify, then write the schedule as a self-contained HTML page.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "the .sched program" };
        var output = new Option<string>("--output", "-o") { Description = "the HTML file to write", Required = true };
        var set = CommonOptions.Set();
        var functional = CommonOptions.Functional();
        var command = new Command("report", "Write a program's schedule as one HTML page: timeline, roofline, memory, contracts")
            { file, output, set, functional };
        command.SetAction(r =>
        {
            var path = r.GetValue(file)!;
            if (CommonOptions.Overrides(r.GetValue(set)) is not { } overrides) return ExitCodes.InputDiagnostics;
            if (CommonOptions.Read(path) is not { } source) return ExitCodes.InputDiagnostics;
            var compiled = Compilation.Compile(source, new CompileOptions(overrides, r.GetValue(functional)));
            if (CommonOptions.Report(compiled.Diagnostics) || !compiled.Success) return ExitCodes.InputDiagnostics;
            var run = InProcess.Run(compiled);
            if (!CommonOptions.WriteHtml(r.GetValue(output)!, compiled, run)) return ExitCodes.InputDiagnostics;
            var verdict = run.Passed ? "verified" : "FAILED";
            Console.WriteLine($"{path}: {verdict} ({run.Replay.Cycles} cycles); report in {r.GetValue(output)}");
            return run.ExitCode;
        });
        return command;
    }
}
