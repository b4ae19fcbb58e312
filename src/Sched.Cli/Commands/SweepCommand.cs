using System.CommandLine;
using System.Globalization;
using System.Text;
using Sched.Cli.Output;
using Sched.Compiler;
using Sched.Compiler.Emit;
using Sched.Runtime.Reporting;
using Spectre.Console;

namespace Sched.Cli.Commands;

/// <summary>
/// <c>sched sweep FILE --set batch=1,8,64 --set context=…</c>: the program at every point of the cartesian product of the listed
/// values, on all cores; a table (time, tokens/s, bound kind, makespan/bound), <c>--csv</c> and an HTML plot.
/// </summary>
internal static class SweepCommand
{
    /// <summary>One point's outcome: its parameter values and what the replay measured (Error when it did not run).</summary>
    internal sealed record Point(IReadOnlyList<(string Name, string Value)> Values, long Cycles, double Seconds, double TokensPerSecond,
        long Bound, string BoundKind, bool Verified, string? Error)
    {
        /// <summary>Contracts that held, of all (a sweep leaves a program's promises at other points, so they may well fail).</summary>
        public (int Held, int All) Contracts { get; init; }

        /// <summary>What bounds it is compute: the roofline's compute side, or the load of a compute unit.</summary>
        public bool ComputeBound { get; init; }
    }

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "the .sched program" };
        var set = new Option<string[]>("--set")
            { Description = "a parameter and its values, e.g. --set batch=1,8,64 (repeatable; every combination is run)" };
        var csv = new Option<string?>("--csv") { Description = "also write the table as CSV to this file" };
        var html = new Option<string?>("--html") { Description = "also write a self-contained HTML plot to this file" };
        var jobs = new Option<int>("--jobs", "-j")
            { Description = "points run at once (default: one a core)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("sweep", "Run a program over a grid of parameter values: time, tokens/s and what bounds each point")
            { file, set, csv, html, jobs };
        command.SetAction(r => Execute(r.GetValue(file)!, r.GetValue(set) ?? [], r.GetValue(csv), r.GetValue(html),
            Math.Max(1, r.GetValue(jobs))));
        return command;
    }

    private static int Execute(string path, string[] set, string? csv, string? html, int jobs)
    {
        if (Axes(set) is not { } axes) return ExitCodes.InputDiagnostics;
        if (CommonOptions.Read(path) is not { } source) return ExitCodes.InputDiagnostics;
        // The program as written first, then the parameter names and values: a mistake in either is one set of diagnostics,
        // not one a point. A point that does not fit (SCH2001 at batch 64, say) is a finding of the sweep, reported in its row.
        if (CommonOptions.Report(Compilation.Check(source))) return ExitCodes.InputDiagnostics;
        var overrides = Compilation.Check(source, Grid(axes).First().ToDictionary(v => v.Name, v => v.Value))
            .Where(d => d.Code == $"SCH{(int)Language.Diagnostics.DiagnosticId.InvalidParameterOverride:D4}").ToList();
        if (CommonOptions.Report(overrides)) return ExitCodes.InputDiagnostics;
        var grid = Grid(axes).ToList();
        var points = new Point[grid.Count];
        void RunAll(Action tick) => Parallel.For(0, grid.Count, new ParallelOptions { MaxDegreeOfParallelism = jobs }, i =>
        {
            points[i] = Run(source, grid[i]);
            tick();
        });
        var console = Terminal.Create();
        Terminal.WithProgress(console, $"sweeping {grid.Count} points", grid.Count, RunAll);
        console.Write(Table(axes.Select(a => a.Name).ToList(), points));
        foreach (var p in points.Where(p => p.Error is not null))
            Console.WriteLine($"{string.Join(", ", p.Values.Select(v => $"{v.Name}={v.Value}"))}: {p.Error}");
        var names = axes.Select(a => a.Name).ToList();
        if (csv is not null && !CommonOptions.WriteFile(csv, "the table", Csv(names, points))) return ExitCodes.InputDiagnostics;
        if (html is not null && !CommonOptions.WriteFile(html, "the plot", SweepPlot.Html(Path.GetFileName(path), names, points)))
            return ExitCodes.InputDiagnostics;
        // 0 when every point scheduled and verified (contracts are promises at the program's own parameters), else 1.
        return points.All(p => p.Error is null && p.Verified) ? ExitCodes.Ok : ExitCodes.VerificationFailed;
    }

    /// <summary>name=v1,v2,… for each --set, or null after printing what is wrong.</summary>
    private static List<(string Name, string[] Values)>? Axes(string[] set)
    {
        var axes = new List<(string Name, string[] Values)>();
        foreach (var item in set)
        {
            var eq = item.IndexOf('=');
            var values = eq > 0 ? item[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
            if (eq <= 0 || values.Length == 0 || axes.Any(a => a.Name == item[..eq].Trim()))
            {
                Console.Error.WriteLine($"sched: error SCH{(int)Language.Diagnostics.DiagnosticId.InvalidParameterOverride:D4}: " +
                    $"--set expects name=value[,value…], once a name, not '{item}'");
                return null;
            }
            axes.Add((item[..eq].Trim(), values));
        }
        return axes;
    }

    /// <summary>Every combination, the last parameter varying fastest.</summary>
    private static IEnumerable<List<(string Name, string Value)>> Grid(List<(string Name, string[] Values)> axes) =>
        axes.Aggregate((IEnumerable<List<(string Name, string Value)>>)[[]],
            (points, axis) => points.SelectMany(p => axis.Values.Select(v => p.Append((axis.Name, v)).ToList())));

    private static Point Run(Language.Text.SourceText source, List<(string Name, string Value)> values)
    {
        var compiled = Compilation.Compile(source, new CompileOptions(values.ToDictionary(v => v.Name, v => v.Value),
            FunctionalMode.Off));
        if (!compiled.Success)
        {
            var first = compiled.Diagnostics.FirstOrDefault(d => d.Severity == Language.Diagnostics.Severity.Error);
            return new Point(values, 0, 0, 0, 0, "", false, first is null ? "no schedule" : $"{first.Code}: {first.Message}");
        }
        var run = InProcess.Run(compiled);
        var seconds = compiled.Program!.Target.Machine.Seconds(run.Replay.Cycles);
        var machine = compiled.Program.Target.Machine;
        var computeBound = run.BoundKind == "roofline, compute" || machine.Units.Any(u => run.BoundKind == $"load of {u.Name}");
        return new Point(values, run.Replay.Cycles, seconds, seconds > 0 ? compiled.Program.Tokens / seconds : 0, run.Bound,
            run.BoundKind, run.Violations.All(v => v.Kind == Runtime.Verification.ViolationKind.ContractFailed), null)
        {
            ComputeBound = computeBound, Contracts = (run.Contracts.Count(c => c.Holds), run.Contracts.Count),
        };
    }

    private static Table Table(List<string> names, IReadOnlyList<Point> points)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var n in names) table.AddColumn(new TableColumn(Markup.Escape(n)).RightAligned());
        foreach (var c in new[] { "time", "tokens/s", "bound", "makespan/bound", "verified", "contracts" })
            table.AddColumn(new TableColumn(c).RightAligned());
        foreach (var p in points)
        {
            var cells = p.Values.Select(v => Markup.Escape(v.Value)).ToList();
            cells.AddRange(p.Error is { } error
                ? [$"[red]{Markup.Escape(error.Split(':')[0])}[/]", "", "", "", "[red]no[/]", ""]
                : [Quantity.Seconds(p.Seconds), p.TokensPerSecond.ToString("N1", CultureInfo.InvariantCulture), Markup.Escape(p.BoundKind),
                    Ratio(p).ToString("F3", CultureInfo.InvariantCulture), p.Verified ? "[green]yes[/]" : "[red]FAILED[/]",
                    $"{p.Contracts.Held}/{p.Contracts.All}"]);
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    internal static double Ratio(Point p) => p.Bound > 0 ? (double)p.Cycles / p.Bound : 1;

    private static string Csv(List<string> names, IReadOnlyList<Point> points)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder(string.Join(',', names.Select(Field)));
        s.Append(",cycles,time_s,tokens_per_s,bound_cycles,bound_kind,makespan_over_bound,verified,contracts_held,contracts,error\n");
        foreach (var p in points)
            s.Append(string.Join(',', p.Values.Select(v => Field(v.Value)))).Append(inv,
                $",{p.Cycles},{p.Seconds:R},{p.TokensPerSecond:R},{p.Bound},{Field(p.BoundKind)},{Ratio(p):R},")
                .Append(p.Verified ? "true" : "false").Append(inv, $",{p.Contracts.Held},{p.Contracts.All},").Append(Field(p.Error ?? ""))
                .Append('\n');
        return s.ToString();
    }

    // RFC 4180: quote a field that holds a comma, a quote or a line break.
    private static string Field(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? '"' + text.Replace("\"", "\"\"") + '"' : text;
}
