using Sched.Language.Text;

namespace Sched.Language.Tests;

/// <summary>Source with the expected diagnostic span marked ⟦like this⟧, minsk-style.</summary>
internal sealed record Annotated(string Text, TextSpan Span)
{
    public static Annotated Parse(string marked)
    {
        var start = marked.IndexOf('⟦');
        var end = marked.IndexOf('⟧');
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "mark the expected span with ⟦ ⟧");
        var text = marked.Remove(end, 1).Remove(start, 1);
        return new Annotated(text, TextSpan.FromBounds(start, end - 1));
    }
}
