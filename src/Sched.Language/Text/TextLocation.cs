namespace Sched.Language.Text;

/// <summary>A span in a particular source, with one-based line and column for messages.</summary>
public readonly record struct TextLocation(SourceText Source, TextSpan Span)
{
    public int Line => Source.LineIndex(Span.Start) + 1;
    public int Column => Span.Start - Source.LineStart(Line - 1) + 1;
    public string FileName => Source.FileName;
}
