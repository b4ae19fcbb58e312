using System.Text;

namespace Sched.Bench;

/// <summary>
/// Bad input for the fuzzer: sources derived from the examples by random edits, token soup, and the named
/// nasty cases (huge numbers and shapes, deep nesting, unit overflow, cyclic definitions, empty files,
/// binary garbage, a 10 MB file). Deterministic for a seed. Shared by bench/ and the test suite.
/// </summary>
public static class FuzzSources
{
    private static readonly string[] Vocabulary =
    [
        "target", "program", "on", "in", "input", "weight", "let", "output", "for", "repeat", "assert", "clock", "tile",
        "sram", "matrix", "vector", "link", "matmul", "add", "mul", "silu", "cycles", "time", "bound", "int8", "bf16", "fp32", "int4",
        "{", "}", "(", ")", "[", "]", ";", ",", ":", "=", "->", "<->", "..", "@", "+", "-", "*", "/", "%", "<", "<=", "==", "!=",
        "0", "1", "-1", "64", "1e308", "1e-308", "99999999999999999999", "2147483648", "0.5", "3 GHz", "1 MB", "7 KiB", "1e300 TB/s",
        "4 cycles", "10 ns", "5 pJ/bit", "200 km", "x", "w", "h", "sbuf", "mxu", "T", "P", "\"", "#", "$", "\u00e9", "\0",
    ];

    /// <summary>The named cases every fuzz run includes.</summary>
    public static IEnumerable<(string Name, string Text)> Named()
    {
        const string target = "target T { clock 1 GHz; sram s { capacity = 1 MB; } matrix mxu { peak = 1 TFLOP/s; } link s <-> mxu { bandwidth = 1 GB/s; } }\n";
        yield return ("empty", "");
        yield return ("whitespace", "   \n\t\n");
        yield return ("binary garbage", new string(Enumerable.Range(0, 4096).Select(i => (char)((i * 7919) % 256)).ToArray()));
        yield return ("huge number", target + "program P(n = 1e400) on T { input x : int8[1, n] in s; output x; }");
        yield return ("huge shape", target + "program P on T { input x : int8[2000000000, 2000000000] in s; output x; }");
        yield return ("huge but legal shape", target + "program P on T { weight w : int8[46340, 46340] in s; input x : int8[1, 46340] in s; let y = matmul(x, w) on mxu; output y; }");
        yield return ("deep nesting", target + "program P on T { assert cycles < " + new string('(', 100_000) + "1" + new string(')', 100_000) + "; }");
        yield return ("long expression", target + "program P on T { input x : int8[1, 4] in s; output x; assert cycles < " + string.Join(" + ", Enumerable.Repeat("1", 50_000)) + "; }");
        yield return ("unit overflow", "target T { clock 1e308 THz; sram s { capacity = 1e308 TB; } matrix mxu { peak = 1e-308 FLOP/s; } link s <-> mxu { bandwidth = 1e308 TB/s; latency = 1e308 s; } }\nprogram P on T { input x : int8[1, 4] in s; output x; }");
        yield return ("cyclic definitions", target + "program P(a = b, b = a) on T { let h = g; let g = h; output h; }");
        yield return ("self-referential let", target + "program P on T { let h = matmul(h, h) on mxu; output h; }");
        yield return ("huge loop", target + "program P on T { input x : int8[1, 4] in s; let h = x; for i in 0 .. 4000000000 { h = silu(h); } output h; }");
        yield return ("huge repeat", target + "program P on T { input x : int8[1, 4] in s; let h = x; repeat 2000000000 { h = silu(h); } output h; }");
        yield return ("zero clock", "target T { clock 0 Hz; sram s { capacity = 1 MB; } }\nprogram P on T { }");
        yield return ("negative capacity", "target T { clock 1 GHz; sram s { capacity = -1 MB; } }\nprogram P on T { }");
        var big = new StringBuilder(target + "program P on T {\n");
        for (var i = 0; big.Length < 10_000_000; i++) big.Append("    input x").Append(i).Append(" : int8[1, 4] in s;\n");
        big.Append("    output x0;\n}\n");
        yield return ("10 MB file", big.ToString());
    }

    /// <summary>A random case: an example with random edits, or a soup of tokens.</summary>
    public static string Random(Random random, IReadOnlyList<string> examples)
    {
        if (random.Next(5) == 0)
            return string.Join(" ", Enumerable.Range(0, random.Next(1, 200)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]));
        var text = new StringBuilder(examples[random.Next(examples.Count)]);
        var edits = 1 + random.Next(6);
        for (var e = 0; e < edits && text.Length > 0; e++)
        {
            var at = random.Next(text.Length);
            switch (random.Next(5))
            {
                case 0: text.Remove(at, Math.Min(text.Length - at, 1 + random.Next(40))); break;
                case 1: text.Insert(at, " " + Vocabulary[random.Next(Vocabulary.Length)] + " "); break;
                case 2:
                    var len = Math.Min(text.Length - at, 1 + random.Next(80));
                    text.Insert(random.Next(text.Length), text.ToString(at, len));
                    break;
                case 3: text[at] = (char)random.Next(32, 127); break;
                default:
                    // Replace a number with an extreme one.
                    var s = text.ToString();
                    var digit = s.IndexOfAny("0123456789".ToCharArray(), at);
                    if (digit >= 0) text.Insert(digit, new[] { "9999999999", "0", "1e300", "-" }[random.Next(4)]);
                    break;
            }
        }
        return text.ToString();
    }
}
