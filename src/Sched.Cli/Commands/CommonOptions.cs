using System.CommandLine;
using Sched.Compiler;
using Sched.Language.Diagnostics;
using Sched.Language.Text;

namespace Sched.Cli.Commands;

/// <summary>Options and input handling every command shares: files, <c>--set name=value</c>, diagnostics output.</summary>
internal static class CommonOptions
{
    public static Option<string[]> Set() => new("--set")
    {
        Description = "Override a program parameter, e.g. --set batch=64 (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<FunctionalMode> Functional() => new("--functional")
    {
        Description = "Check output values against the reference interpreter: auto (small programs), on, off",
        DefaultValueFactory = _ => FunctionalMode.Auto,
    };

    public static Option<string?> Trace() => new("--trace")
    {
        Description = "write the schedule as Chrome trace-event JSON (open it in ui.perfetto.dev or chrome://tracing)",
    };

    public static Option<Output.OutputFormat> Format() => new("--format")
    {
        Description = "human, json (schemas/sched-output.schema.json), sarif, junit or github",
        DefaultValueFactory = _ => Output.OutputFormat.Human,
    };

    public static Option<string?> Html() => new("--html")
    {
        Description = "write the schedule as a self-contained HTML report (timeline, roofline, memory, contracts)",
    };

    /// <summary>Writes a run's HTML report, or prints why it cannot and returns false.</summary>
    public static bool WriteHtml(string path, Compiler.CompileResult compiled, Runtime.RunResult run) =>
        WriteFile(path, "the report", Output.HtmlReport.Html(compiled, run));

    /// <summary>Writes a run's trace, or prints why it cannot and returns false.</summary>
    public static bool WriteTrace(string path, Compiler.CompileResult compiled, Runtime.RunResult run) =>
        WriteFile(path, "the trace", Runtime.Reporting.Trace.Write(compiled.Program!.Target.Machine, compiled.Schedule!, run.Violations,
            run.ScheduleHash));

    /// <summary>Writes a file a command produces, or prints why it cannot (SCH0004 at the path) and returns false.</summary>
    public static bool WriteFile(string path, string what, string text)
    {
        try
        {
            File.WriteAllText(path, text);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"{path}: error SCH{(int)DiagnosticId.CannotReadFile:D4}: cannot write {what}: {e.Message}");
            return false;
        }
    }

    /// <summary>name=value pairs, or null after printing what is wrong.</summary>
    public static Dictionary<string, string>? Overrides(string[]? set)
    {
        var overrides = new Dictionary<string, string>();
        foreach (var item in set ?? [])
        {
            var eq = item.IndexOf('=');
            if (eq <= 0)
            {
                Console.Error.WriteLine($"sched: error SCH{(int)DiagnosticId.InvalidParameterOverride:D4}: " +
                    $"--set expects name=value, not '{item}'");
                return null;
            }
            overrides[item[..eq].Trim()] = item[(eq + 1)..].Trim();
        }
        return overrides;
    }

    /// <summary>The largest source file read (a program is text a person writes; the fuzzer's 10 MB case fits).</summary>
    public const long MaxSourceBytes = 64L << 20;

    /// <summary>Reads a source file, or prints why it cannot and returns null.</summary>
    public static SourceText? Read(string path) => ReadText(path, MaxSourceBytes, "program") is { } text ? SourceText.From(text,
        path) : null;

    /// <summary>
    /// Reads a text file of at most <paramref name="limit"/> bytes, or prints why it cannot and returns null: never more than
    /// the limit is read, so /dev/zero or a huge file is a diagnostic, not an out-of-memory crash.
    /// </summary>
    public static string? ReadText(string path, long limit, string what)
    {
        if (TryReadText(path, limit, what, out var text) is not { } error) return text;
        Console.Error.WriteLine($"{path}: error SCH{(int)DiagnosticId.CannotReadFile:D4}: {error}");
        return null;
    }

    /// <summary>The same without printing: null when read, else why not.</summary>
    public static string? TryReadText(string path, long limit, string what, out string? text)
    {
        text = null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
            using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
            var read = new System.Text.StringBuilder();
            var buffer = new char[1 << 16];
            for (int n; (n = reader.Read(buffer, 0, buffer.Length)) > 0;)
            {
                if (read.Length + n > limit) return $"the {what} is larger than {limit >> 20} MiB; not read";
                read.Append(buffer, 0, n);
            }
            text = read.ToString();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"cannot read the {what}: {e.Message}";
        }
    }

    /// <summary>Prints diagnostics to stderr; true when any is an error.</summary>
    public static bool Report(IReadOnlyList<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics) Console.Error.WriteLine(d.Render());
        return diagnostics.Any(d => d.Severity == Severity.Error);
    }
}
