namespace Sched.Language.Diagnostics;

/// <summary>"did you mean …?": the closest known name by edit distance, when one is close enough to be the intended one.</summary>
public static class Suggestion
{
    /// <summary>" (did you mean 'x'?)" for the closest candidate within a third of the name's length (at least 1), else "".</summary>
    public static string For(string name, IEnumerable<string> candidates) =>
        Closest(name, candidates) is { } best ? $" (did you mean '{best}'?)" : "";

    /// <summary>The candidate the name most likely meant, or null.</summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        var best = candidates.Where(c => c != name).Distinct()
            .Select(c => (Name: c, Distance: Distance(name, c)))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(1, name.Length / 3) ? best.Name : null;
    }

    /// <summary>
    /// Edit distance with a swap of neighbours as one edit (optimal string alignment), so "frist" finds "first"; a difference of
    /// case alone costs nothing, so W finds w.
    /// </summary>
    private static int Distance(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase)) return 0;
        static bool Same(char x, char y) => char.ToLowerInvariant(x) == char.ToLowerInvariant(y);
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i, j - 1] + 1, d[i - 1, j] + 1), d[i - 1, j - 1] + (Same(a[i - 1], b[j - 1]) ? 0 : 1));
                if (i > 1 && j > 1 && Same(a[i - 1], b[j - 2]) && Same(a[i - 2], b[j - 1]))
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
