using System.CommandLine;
using Sched.Cli.Output;
using Sched.Compiler;

namespace Sched.Cli.Commands;

/// <summary>
/// <c>sched verify FILE...</c>: schedule (or read a stored schedule), replay, verify, check contracts; exit 1 on any failure.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = ".sched files or glob patterns (examples/*.sched)",
            Arity = ArgumentArity.OneOrMore };
        var set = CommonOptions.Set();
        var functional = CommonOptions.Functional();
        var format = CommonOptions.Format();
        var schedule = new Option<string?>("--schedule")
            { Description = "check this stored schedule (from build --emit-schedule) instead of scheduling anew" };
        var trace = CommonOptions.Trace();
        var html = CommonOptions.Html();
        var command = new Command("verify", "Schedule, replay and verify programs and check their contracts") { files, set, functional,
            format, schedule, trace, html };
        command.SetAction(result =>
        {
            var paths = Globs.Expand(result.GetValue(files)!);
            var stored = result.GetValue(schedule);
            if ((stored is not null || result.GetValue(trace) is not null || result.GetValue(html) is not null) && paths.Count != 1)
            {
                Console.Error.WriteLine("sched: error SCH2006: --schedule, --trace and --html take one program; give exactly one file");
                return ExitCodes.InputDiagnostics;
            }
            string? storedText = null;
            if (stored is not null && (storedText = CommonOptions.ReadText(stored, 256L << 20, "stored schedule")) is null)
                return ExitCodes.InputDiagnostics;
            if (CommonOptions.Overrides(result.GetValue(set)) is not { } overrides) return ExitCodes.InputDiagnostics;
            var outcomes = new List<Outcome>();
            var console = Terminal.Create();
            Terminal.WithProgress(console, $"verifying {paths.Count} programs", paths.Count, tick =>
            {
                foreach (var p in paths)
                {
                    outcomes.Add(Verification.Verify(p, new CompileOptions(overrides, result.GetValue(functional), storedText,
                        StoredSchedulePath: stored), result.GetValue(trace), result.GetValue(html)));
                    tick();
                }
            });
            var text = Formats.Render(result.GetValue(format), outcomes);
            if (result.GetValue(format) == OutputFormat.Human) Terminal.WriteColoured(console, text);
            else Console.Out.Write(text);
            return outcomes.Select(o => o.ExitCode).DefaultIfEmpty(ExitCodes.InputDiagnostics).Max(Rank) switch
            {
                3 => ExitCodes.InternalError,
                2 => ExitCodes.InputDiagnostics,
                1 => ExitCodes.VerificationFailed,
                _ => ExitCodes.Ok,
            };
        });
        return command;
    }

    // Internal errors outrank input errors, which outrank verification failures.
    private static int Rank(int code) => code is >= 0 and <= 3 ? code : 3;
}
