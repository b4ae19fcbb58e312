using System.Text.RegularExpressions;

namespace Sched.Cli.Output;

/// <summary>Expands <c>*</c> and <c>?</c> in file arguments (for shells that pass them through), in a stable order.</summary>
internal static class Globs
{
    public static List<string> Expand(IEnumerable<string> patterns)
    {
        var files = new List<string>();
        foreach (var pattern in patterns)
        {
            if (pattern.IndexOfAny(['*', '?']) < 0) { files.Add(pattern); continue; }
            var dir = Path.GetDirectoryName(pattern) is { Length: > 0 } d ? d : ".";
            var name = Path.GetFileName(pattern);
            var regex = new Regex("^" + Regex.Escape(name).Replace("\\*", ".*").Replace("\\?", ".") + "$");
            var matches = Directory.Exists(dir)
                ? Directory.GetFiles(dir).Where(f => regex.IsMatch(Path.GetFileName(f))).Order(StringComparer.Ordinal).ToList()
                : [];
            // A pattern that matches nothing stays as given, so the user hears that the file is missing.
            files.AddRange(matches.Count > 0 ? matches.Select(m => dir == "."
                && !pattern.StartsWith("./") ? Path.GetFileName(m) : m) : [pattern]);
        }
        return files;
    }
}
