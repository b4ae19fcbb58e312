using Sched.Compiler.Emit;
using Sched.Compiler;
using Sched.Language.Diagnostics;
using Sched.Runtime;
using Sched.Runtime.Verification;

namespace Sched.Cli.Output;

/// <summary>One problem to show a CI system: a rule ID, a message and where it points.</summary>
internal sealed record Finding(string Id, string Message, string File, int Line, int Column);

/// <summary>What verifying one file produced: input diagnostics, or a run with its violations and contracts.</summary>
internal sealed record Outcome(string File, IReadOnlyList<Diagnostic> Diagnostics, RunResult? Run, int ExitCode, string? InternalError)
{
    /// <summary>Why the file could not be read, if it could not: a failing case and a result in every format, like any error.</summary>
    public string? ReadError { get; init; }

    public IEnumerable<Finding> Findings =>
        Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => new Finding(d.Code, d.Message, File, d.Location.Line,
            d.Location.Column))
            .Concat((Run?.Violations ?? []).Select(v => v.File is { } other
                ? new Finding(v.Kind.Code(), v.Message, other, Math.Max(1, v.Source.Line), 1)
                : new Finding(v.Kind.Code(), $"cycle {v.Cycle}, {v.Where}: {v.Message}", File, Math.Max(1, v.Source.Line),
                    Math.Max(1, v.Source.Column))))
            .Concat(InternalError is null ? [] : [new Finding("SCH3999", InternalError, File, 1, 1)])
            .Concat(ReadError is null ? [] : [new Finding("SCH0004", ReadError, File, 1, 1)]);
}

/// <summary>Verifies one file end to end and catches what would otherwise be a crash as an internal error.</summary>
internal static class Verification
{
    public static Outcome Verify(string path, CompileOptions options, string? trace = null, string? html = null)
    {
        if (Commands.CommonOptions.TryReadText(path, Commands.CommonOptions.MaxSourceBytes, "program", out var text) is { } error)
            return new Outcome(path, [], null, ExitCodes.InputDiagnostics, null) { ReadError = error };
        var source = Language.Text.SourceText.From(text!, path);
        try
        {
            var compiled = Compilation.Compile(source, options);
            if (!compiled.Success) return new Outcome(path, compiled.Diagnostics, null, ExitCodes.InputDiagnostics, null);
            var run = InProcess.Run(compiled);
            if (trace is not null && !Commands.CommonOptions.WriteTrace(trace, compiled, run))
                return new Outcome(path, compiled.Diagnostics, run, ExitCodes.InputDiagnostics, null);
            if (html is not null && !Commands.CommonOptions.WriteHtml(html, compiled, run))
                return new Outcome(path, compiled.Diagnostics, run, ExitCodes.InputDiagnostics, null);
            return new Outcome(path, compiled.Diagnostics, run, run.ExitCode, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new Outcome(path, [], null, ExitCodes.InternalError, $"internal error: {e.GetType().Name}: {e.Message}");
        }
    }
}
