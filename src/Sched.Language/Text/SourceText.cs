namespace Sched.Language.Text;

/// <summary>The text of one .sched file and where its lines start, so spans become line and column.</summary>
public sealed class SourceText
{
    private readonly int[] _lineStarts;

    private SourceText(string text, string fileName)
    {
        Text = text;
        FileName = fileName;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n') starts.Add(i + 1);
        _lineStarts = starts.ToArray();
    }

    public string Text { get; }
    public string FileName { get; }

    public static SourceText From(string text, string fileName = "<input>") => new(text, fileName);

    /// <summary>Zero-based line index of a position.</summary>
    public int LineIndex(int position)
    {
        var i = Array.BinarySearch(_lineStarts, position);
        return i >= 0 ? i : ~i - 1;
    }

    public string LineText(int lineIndex)
    {
        var start = _lineStarts[lineIndex];
        var end = lineIndex + 1 < _lineStarts.Length ? _lineStarts[lineIndex + 1] : Text.Length;
        return Text[start..end].TrimEnd('\r', '\n');
    }

    public TextLocation Location(TextSpan span) => new(this, span);

    public int LineStart(int lineIndex) => _lineStarts[lineIndex];
}
