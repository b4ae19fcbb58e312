using System.CommandLine;

namespace Sched.Cli.Commands;

/// <summary><c>sched verify FILE...</c>: schedule, run, verify and check contracts; exit 1 on any failure.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = ".sched files to verify", Arity = ArgumentArity.OneOrMore };
        var set = CommonOptions.Set();
        var functional = CommonOptions.Functional();
        var command = new Command("verify", "Schedule, replay and verify programs and check their contracts") { files, set, functional };
        command.SetAction(result =>
        {
            var worst = ExitCodes.Ok;
            foreach (var path in result.GetValue(files)!)
            {
                var exit = RunCommand.Execute(path, result.GetValue(set), result.GetValue(functional), quiet: true);
                worst = Worst(worst, exit);
            }
            return worst;
        });
        return command;
    }

    // Internal errors outrank input errors, which outrank verification failures.
    private static int Worst(int a, int b) => Rank(a) >= Rank(b) ? a : b;
    private static int Rank(int code) => code switch { 3 => 3, 2 => 2, 1 => 1, _ => 0 };
}
