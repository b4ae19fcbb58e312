using System.CommandLine;
using Sched.Cli.Commands;
using Sched.Language.Diagnostics;

namespace Sched.Cli;

/// <summary>
/// The <c>sched</c> command. Exit codes: 0 ok, 1 verification or contract failure, 2 diagnostics in the input, 3 internal error.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("Sched: static, cycle-exact schedules of dataflow on memory-centric AI hardware")
        {
            CheckCommand.Create(),
            BuildCommand.Create(),
            RunCommand.Create(),
            VerifyCommand.Create(),
            BenchCommand.Create(),
            TargetsCommand.Create(),
            SweepCommand.Create(),
            ReportCommand.Create(),
        };
        return Invoke(root, args);
    }

    /// <summary>After a usage mistake, the help of the command it was in (or of sched), on stderr.</summary>
    private static void Usage(Command root, ParseResult parsed)
    {
        var path = new List<string>();
        for (var c = parsed.CommandResult; c is not null; c = c.Parent as System.CommandLine.Parsing.CommandResult)
            if (c.Command != root) path.Insert(0, c.Command.Name);
        var (stdout, help) = (Console.Out, new StringWriter());
        Console.SetOut(help);
        try { root.Parse([.. path, "--help"]).Invoke(); }
        finally { Console.SetOut(stdout); }
        Console.Error.Write(help.ToString());
    }

    /// <summary>
    /// Runs a command line with the documented exit codes: a usage mistake is 2 (the library's default is 1), and an
    /// exception is 3 with one line and no stack trace (the library's own handler, which exits 1, is turned off).
    /// </summary>
    public static int Invoke(Command root, string[] args)
    {
        try
        {
            // Bare `sched` and `sched help [command]` show what it can do, as dotnet tools do.
            if (args.Length == 0 || args[0] == "help") args = [.. args.Skip(1), "--help"];
            var parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                foreach (var error in parsed.Errors)
                    Console.Error.WriteLine($"sched: error SCH{(int)DiagnosticId.UsageError:D4}: {error.Message}");
                Usage(root, parsed);
                return ExitCodes.InputDiagnostics;
            }
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var cause = e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e;
            Console.Error.WriteLine($"sched: error SCH3999: internal error: {cause.GetType().Name}: {cause.Message}");
            if (Environment.GetEnvironmentVariable("SCHED_TRACE") is not null) Console.Error.WriteLine(cause.StackTrace);
            Console.Error.WriteLine("This is a bug in Sched, not in your program; please report it with the input that caused it.");
            return ExitCodes.InternalError;
        }
    }
}
