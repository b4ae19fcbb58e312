using Sched.Compiler.Emit;
using System.CommandLine;
using Sched.Compiler;

namespace Sched.Cli.Commands;

/// <summary><c>sched run FILE</c>: build in memory, run, verify, print the report.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "the .sched program" };
        var set = CommonOptions.Set();
        var functional = CommonOptions.Functional();
        var trace = CommonOptions.Trace();
        var html = CommonOptions.Html();
        var full = new Option<bool>("--full")
            { Description = $"list every unit, link and memory (above {Runtime.Reporting.Report.MaxListed} each is summarised)" };
        var command = new Command("run", "Build a program in memory, replay its schedule, verify it and print the report") { file, set,
            functional, trace, html, full };
        command.SetAction(result => Execute(result.GetValue(file)!, result.GetValue(set), result.GetValue(functional), quiet: false,
            result.GetValue(trace), result.GetValue(html), result.GetValue(full)));
        return command;
    }

    /// <summary>Shared with verify: compile, run the generated assembly, report; returns the exit code.</summary>
    public static int Execute(string path, string[]? set, FunctionalMode functional, bool quiet, string? trace = null,
        string? html = null, bool full = false)
    {
        if (CommonOptions.Overrides(set) is not { } overrides) return ExitCodes.InputDiagnostics;
        if (CommonOptions.Read(path) is not { } source) return ExitCodes.InputDiagnostics;
        var console = Output.Terminal.Create();
        var compiled = Output.Terminal.WithStatus(console, $"compiling and scheduling {path}",
            () => Compilation.Compile(source, new CompileOptions(overrides, functional)));
        if (CommonOptions.Report(compiled.Diagnostics) || !compiled.Success) return ExitCodes.InputDiagnostics;
        var run = Output.Terminal.WithStatus(console, $"replaying and verifying {compiled.Schedule!.Instructions.Count} instructions",
            () => InProcess.Run(compiled));
        if (trace is not null && !CommonOptions.WriteTrace(trace, compiled, run)) return ExitCodes.InputDiagnostics;
        if (html is not null && !CommonOptions.WriteHtml(html, compiled, run)) return ExitCodes.InputDiagnostics;
        // The generated program's report summarises large machines; --full renders it again from the same replay with every line.
        var report = !full ? run.Report : Runtime.Reporting.Report.Render(compiled.Program!.Target.Machine,
            compiled.Schedule with { Bound = run.Bound, BoundKind = run.BoundKind }, run.Replay, run.Violations, run.Contracts,
            run.Functional, run.ScheduleHash, full: true, tokens: compiled.Program.Tokens);
        if (!quiet || !run.Passed) Output.Terminal.WriteColoured(console, report);
        Output.Terminal.WriteColoured(console, $"{path}: {(run.Passed ? "verified" : "FAILED")} ({run.Replay.Cycles} cycles)\n");
        return run.ExitCode;
    }
}
