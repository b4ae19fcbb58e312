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

    /// <summary>name=value pairs, or null after printing what is wrong.</summary>
    public static Dictionary<string, string>? Overrides(string[]? set)
    {
        var overrides = new Dictionary<string, string>();
        foreach (var item in set ?? [])
        {
            var eq = item.IndexOf('=');
            if (eq <= 0)
            {
                Console.Error.WriteLine($"sched: error SCH{(int)DiagnosticId.InvalidParameterOverride:D4}: --set expects name=value, not '{item}'");
                return null;
            }
            overrides[item[..eq].Trim()] = item[(eq + 1)..].Trim();
        }
        return overrides;
    }

    /// <summary>Reads a source file, or prints why it cannot and returns null.</summary>
    public static SourceText? Read(string path)
    {
        try
        {
            return SourceText.From(File.ReadAllText(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"{path}: error SCH{(int)DiagnosticId.CannotReadFile:D4}: cannot read the file: {e.Message}");
            return null;
        }
    }

    /// <summary>Prints diagnostics to stderr; true when any is an error.</summary>
    public static bool Report(IReadOnlyList<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics) Console.Error.WriteLine(d.Render());
        return diagnostics.Any(d => d.Severity == Severity.Error);
    }
}
