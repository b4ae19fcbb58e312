using System.CommandLine;
using Sched.Cli.Commands;

namespace Sched.Cli;

/// <summary>The <c>sched</c> command. Exit codes: 0 ok, 1 verification or contract failure, 2 diagnostics in the input, 3 internal error.</summary>
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
        };
        try
        {
            return root.Parse(args).Invoke();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"sched: internal error: {e.GetType().Name}: {e.Message}");
            Console.Error.WriteLine("This is a bug in Sched, not in your program; please report it with the input that caused it.");
            return ExitCodes.InternalError;
        }
    }
}
