using Spectre.Console;

namespace Sched.Cli.Output;

/// <summary>
/// The console that tables, colour and progress bars go to, made for the current <see cref="Console.Out"/> (so redirected output
/// and tests get it too). Spectre turns colour off when the output is not a terminal and under NO_COLOR; piped output is as wide
/// as a table needs rather than the 80 columns Spectre assumes without a terminal.
/// </summary>
internal static class Terminal
{
    public static IAnsiConsole Create()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected) console.Profile.Width = 200;
        return console;
    }

    /// <summary>
    /// Writes a report line by line, with verdicts in colour where the console shows colour: green for what verified or held,
    /// red for what failed and for errors. Without colour the text is exactly the same, each line whole.
    /// </summary>
    public static void WriteColoured(IAnsiConsole console, string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i == lines.Length - 1 && lines[i].Length == 0) break;
            // Without colour (piped, NO_COLOR) a line is written as it is: Spectre would wrap a long note at the console's width.
            if (!console.Profile.Capabilities.Ansi)
            {
                console.Profile.Out.Writer.WriteLine(lines[i]);
                continue;
            }
            var line = Markup.Escape(lines[i]);
            var style = lines[i].Contains("FAILED") || lines[i].Contains(": error SCH") ? "red"
                : lines[i].Contains(": verified") || lines[i].StartsWith("contract ok") || lines[i].StartsWith("verification: ok")
                    ? "green" : null;
            console.MarkupLine(style is null ? line : $"[{style}]{line}[/]");
        }
    }

    /// <summary>Runs long work under a spinner with what it is doing when a person is watching (a large compile), else plainly.</summary>
    public static T WithStatus<T>(IAnsiConsole console, string what, Func<T> work) =>
        console.Profile.Capabilities.Interactive ? console.Status().Start(what, _ => work()) : work();

    /// <summary>
    /// Runs <paramref name="work"/> with a progress bar of <paramref name="steps"/> when a person is watching, else plainly.
    /// </summary>
    public static void WithProgress(IAnsiConsole console, string what, int steps, Action<Action> work)
    {
        if (!console.Profile.Capabilities.Interactive || steps < 2)
        {
            work(() => { });
            return;
        }
        console.Progress().Start(p =>
        {
            var task = p.AddTask(what, maxValue: steps);
            work(() => task.Increment(1));
        });
    }
}
