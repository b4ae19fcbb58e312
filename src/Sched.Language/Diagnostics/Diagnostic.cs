using Sched.Language.Text;

namespace Sched.Language.Diagnostics;

public enum Severity { Error, Warning }

/// <summary>One message about the input, with its stable ID and where it points.</summary>
public sealed record Diagnostic(DiagnosticId Id, Severity Severity, TextLocation Location, string Message)
{
    public string Code => $"SCH{(int)Id:D4}";

    /// <summary><c>file(line,col): error SCHnnnn: message</c>, then the source line and a caret under the span.</summary>
    public string Render()
    {
        var line = Location.Source.Text.Length == 0 ? "" : Location.Source.LineText(Location.Line - 1);
        var column = Math.Max(1, Location.Column);
        // A very long line (minified or binary input) is shown as a window around the column.
        const int Window = 160;
        if (line.Length > Window)
        {
            var start = Math.Clamp(column - 1 - Window / 2, 0, line.Length - Window);
            line = line.Substring(start, Window);
            column -= start;
        }
        var width = Math.Max(1, Math.Min(Location.Span.Length, Math.Max(1, line.Length - column + 1)));
        var prefix = new string(line.Take(column - 1).Select(c => c == '\t' ? '\t' : ' ').ToArray());
        return $"{Location.FileName}({Location.Line},{Location.Column}): {Severity.ToString().ToLowerInvariant()} {Code}: {Message}"
            + Environment.NewLine + "    " + line + Environment.NewLine + "    " + prefix + new string('^', width);
    }

    public override string ToString() => $"{Location.FileName}({Location.Line},{Location.Column}): {Code}: {Message}";
}
