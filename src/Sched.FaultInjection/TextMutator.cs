using System.Globalization;
using System.Text.RegularExpressions;

namespace Sched.FaultInjection;

/// <summary>The ways a stored schedule file is edited: the attacks the issue names, and the structured fuzzer's blind edits.</summary>
public enum TextMutation
{
    RemoveOutput, EditBound, ResizeTile, RetargetOperand, DuplicateStore,
    /// <summary>One key=value field of one line set to a value picked to hurt (0, -1, huge, another line's, garbage).</summary>
    EditField,
    DeleteLine, DuplicateLine, SwapLines,
    /// <summary>One bit of one character flipped.</summary>
    FlipBit,
}

/// <summary>Edits a stored schedule's text form, deterministically for a given random source.</summary>
public static partial class TextMutator
{
    public static readonly TextMutation[] Attacks =
        [TextMutation.RemoveOutput, TextMutation.EditBound, TextMutation.ResizeTile, TextMutation.RetargetOperand,
            TextMutation.DuplicateStore];

    public static readonly TextMutation[] Blind =
        [TextMutation.EditField, TextMutation.DeleteLine, TextMutation.DuplicateLine, TextMutation.SwapLines, TextMutation.FlipBit];

    /// <summary>Applies one of <paramref name="kinds"/> that fits the text; null when none does.</summary>
    public static (TextMutation Kind, string Text, string What)? Mutate(string text, Random random, TextMutation[] kinds)
    {
        var lines = text.Split('\n').ToList();
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var kind = kinds[random.Next(kinds.Length)];
            if (Apply(kind, lines, random) is { } edit) return (kind, string.Join('\n', edit.Lines), edit.What);
        }
        return null;
    }

    private static (List<string> Lines, string What)? Apply(TextMutation kind, List<string> original, Random random)
    {
        var lines = original.ToList();
        int Pick(Func<string, bool> match)
        {
            var found = Enumerable.Range(0, lines.Count).Where(i => match(lines[i])).ToList();
            return found.Count == 0 ? -1 : found[random.Next(found.Count)];
        }
        switch (kind)
        {
            case TextMutation.RemoveOutput:
            {
                var i = Pick(l => l.StartsWith("output ", StringComparison.Ordinal));
                if (i < 0) return null;
                lines.RemoveAt(i);
                return (lines, $"line {i + 1} (an output) removed");
            }
            case TextMutation.EditBound:
            {
                var i = Pick(l => l.StartsWith("bound ", StringComparison.Ordinal));
                if (i < 0) return null;
                lines[i] = $"bound {1 + random.Next(10_000_000)} edited";
                return (lines, $"line {i + 1}: the bound edited");
            }
            case TextMutation.ResizeTile: return Field(lines, random, l => l.StartsWith("tile ", StringComparison.Ordinal), "bytes",
                "a tile resized");
            case TextMutation.RetargetOperand: return Field(lines, random, IsCompute, "reads", "an operand retargeted");
            case TextMutation.DuplicateStore:
            {
                var i = Pick(l => l.Contains(" store ", StringComparison.Ordinal));
                if (i < 0) return null;
                lines.Insert(i + 1, lines[i]);
                return (lines, $"line {i + 1} (a store) duplicated");
            }
            default: return Blindly(kind, lines, random);
        }
    }

    private static (List<string> Lines, string What)? Blindly(TextMutation kind, List<string> lines, Random random)
    {
        if (lines.Count < 2) return null;
        var i = 1 + random.Next(lines.Count - 1);   // line 1 is the magic; editing it is only a read error
        switch (kind)
        {
            case TextMutation.EditField: return Field(lines, random, l => l.Contains('='), null, "a field edited");
            case TextMutation.DeleteLine: lines.RemoveAt(i); return (lines, $"line {i + 1} deleted");
            case TextMutation.DuplicateLine: lines.Insert(i, lines[i]); return (lines, $"line {i + 1} duplicated");
            case TextMutation.SwapLines:
            {
                var j = 1 + random.Next(lines.Count - 1);
                (lines[i], lines[j]) = (lines[j], lines[i]);
                return (lines, $"lines {i + 1} and {j + 1} swapped");
            }
            default:
            {
                if (lines[i].Length == 0) return null;
                var c = random.Next(lines[i].Length);
                var chars = lines[i].ToCharArray();
                chars[c] = (char)(chars[c] ^ (1 << random.Next(7)));
                lines[i] = new string(chars);
                return (lines, $"line {i + 1}, character {c + 1}: a bit flipped");
            }
        }
    }

    /// <summary>Sets one key=value field (of <paramref name="key"/>, or any) on a matching line to a value picked to hurt.</summary>
    private static (List<string> Lines, string What)? Field(List<string> lines, Random random, Func<string, bool> match, string? key,
        string what)
    {
        var candidates = Enumerable.Range(0, lines.Count).Where(i => match(lines[i]) && (key is null
            || lines[i].Contains($" {key}="))).ToList();
        if (candidates.Count == 0) return null;
        var i = candidates[random.Next(candidates.Count)];
        var fields = FieldPattern().Matches(lines[i]).Where(m => key is null || m.Groups[1].Value == key).ToList();
        if (fields.Count == 0) return null;
        var field = fields[random.Next(fields.Count)];
        var value = Hurtful(field.Groups[2].Value, lines, random);
        if (value == field.Groups[2].Value) return null;
        lines[i] = lines[i][..field.Groups[2].Index] + value + lines[i][(field.Groups[2].Index + field.Groups[2].Length)..];
        return (lines, $"line {i + 1}: {what} ({field.Groups[1].Value}={value})");
    }

    private static string Hurtful(string old, List<string> lines, Random random) => random.Next(7) switch
    {
        0 => "0",
        1 => "-1",
        2 => "9223372036854775807",
        3 => long.TryParse(old, out var n) ? (n + 1).ToString(CultureInfo.InvariantCulture) : old + "1",
        4 => long.TryParse(old, out var m) && m > 0 ? (m - 1).ToString(CultureInfo.InvariantCulture) : "1",
        5 => FieldPattern().Matches(lines[random.Next(lines.Count)]).Select(x => x.Groups[2].Value).FirstOrDefault() ?? "x",
        _ => "\u0007x,y",
    };

    private static bool IsCompute(string line) => line.Contains(" reads=", StringComparison.Ordinal)
        && !line.Contains(" load ", StringComparison.Ordinal) && !line.Contains(" store ", StringComparison.Ordinal)
        && !line.Contains(" read ", StringComparison.Ordinal);

    [GeneratedRegex(@"(\w+)=([^ ]*)")]
    private static partial Regex FieldPattern();
}
