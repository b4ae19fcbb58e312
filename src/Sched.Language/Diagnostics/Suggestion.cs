namespace Sched.Language.Diagnostics;

/// <summary>"did you mean …?": the closest known name by edit distance, when one is close enough to be the intended one.</summary>
public static class Suggestion
{
    /// <summary>" (did you mean 'x'?)" for the closest candidate within a third of the name's length (at least 1), else "".</summary>
    public static string For(string name, IEnumerable<string> candidates) => Closest(name, candidates) is { } best ? $" (did you mean '{best}'?)" : "";

    /// <summary>The candidate the name most likely meant, or null.</summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        var best = candidates.Where(c => c != name).Distinct()
            .Select(c => (Name: c, Distance: Distance(name, c)))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(1, name.Length / 3) ? best.Name : null;
    }

    /// <summary>Levenshtein distance; a difference of case alone costs nothing, so W finds w.</summary>
    private static int Distance(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase)) return 0;
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            previous = current;
        }
        return previous[b.Length];
    }
}
