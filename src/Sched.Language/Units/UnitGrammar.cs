using System.Globalization;
using Sprache;

namespace Sched.Language.Units;

/// <summary>
/// The Sprache grammar of quantities: decimal prefixes are decimal (1 MB = 10^6 B), KiB MiB GiB TiB binary,
/// <c>b</c> is bits and <c>B</c> bytes. Used for unit text in programs and for <c>--set name=value</c>.
/// </summary>
public static class UnitGrammar
{
    private static readonly Dictionary<string, double> Multiples = new()
    {
        [""] = 1, ["k"] = 1e3, ["K"] = 1e3, ["M"] = 1e6, ["G"] = 1e9, ["T"] = 1e12, ["P"] = 1e15, ["E"] = 1e18,
    };
    private static readonly Dictionary<string, double> Binary = new()
    {
        ["Ki"] = 1024.0, ["Mi"] = 1024.0 * 1024, ["Gi"] = 1024.0 * 1024 * 1024, ["Ti"] = 1024.0 * 1024 * 1024 * 1024,
    };
    private static readonly Dictionary<string, double> Fractions = new()
    {
        ["m"] = 1e-3, ["u"] = 1e-6, ["µ"] = 1e-6, ["n"] = 1e-9, ["p"] = 1e-12, ["f"] = 1e-15,
    };

    // Base symbols, longest first so "bit" wins over "b"; each with its scale in the base unit and the prefixes it takes.
    private static readonly (string Symbol, double Scale, string Kind, bool Binary, bool Fractional)[] Bases =
    [
        ("cycles", 1, "cycle", false, false), ("cycle", 1, "cycle", false, false),
        ("FLOP", 1, "flop", false, false), ("bits", 0.125, "byte", false, false), ("bit", 0.125, "byte", false, false),
        ("OPS", 1, "rate", false, false), ("Hz", 1, "hz", false, false),
        ("B", 1, "byte", true, false), ("b", 0.125, "byte", true, false),
        ("s", 1, "s", false, true), ("m", 1, "m", false, true), ("J", 1, "J", false, true),
    ];

    // number := digits ('.' digits)? (('e' | 'E') ('+' | '-')? digits)?
    private static readonly Parser<double> Number =
        from whole in Parse.Digit.AtLeastOnce().Text()
        from fraction in Parse.Char('.').Then(_ => Parse.Digit.AtLeastOnce().Text()).Optional()
        from exponent in Parse.Chars("eE").Then(_ =>
                from sign in Parse.Chars("+-").Optional()
                from digits in Parse.Digit.AtLeastOnce().Text()
                select (sign.IsDefined ? sign.Get().ToString() : "") + digits).Optional()
        select double.Parse(whole + (fraction.IsDefined ? "." + fraction.Get() : "") + (exponent.IsDefined ? "e" + exponent.Get() : ""),
            NumberStyles.Float, CultureInfo.InvariantCulture);

    // word := letter+
    private static readonly Parser<string> Word = Parse.Letter.Or(Parse.Char('µ')).AtLeastOnce().Text().Named("unit");

    // unit := word ('/' word)?
    private static readonly Parser<(string Over, string? Under)> UnitText =
        from over in Word.Token()
        from under in Parse.Char('/').Token().Then(_ => Word.Token()).Optional()
        select (over, under.IsDefined ? under.Get() : null);

    // quantity := number unit?
    private static readonly Parser<(double Number, (string, string?)? Unit)> QuantityText =
        from number in Number.Token()
        from unit in UnitText.Optional()
        select (number, unit.IsDefined ? unit.Get() : ((string, string?)?)null);

    /// <summary>Parses unit text such as <c>TB/s</c>; the error says what was not understood.</summary>
    public static bool TryParseUnit(string text, out Unit unit, out string error)
    {
        var result = UnitText.End().TryParse(text);
        if (!result.WasSuccessful)
        {
            unit = default;
            error = $"'{text}' is not a unit";
            return false;
        }
        return TryResolve(result.Value.Over, result.Value.Under, out unit, out error);
    }

    /// <summary>Parses a quantity such as <c>3.35 TB/s</c> or a plain number.</summary>
    public static bool TryParseQuantity(string text, out Quantity quantity, out string error)
    {
        quantity = default;
        var result = QuantityText.End().TryParse(text);
        if (!result.WasSuccessful)
        {
            error = $"'{text}' is not a number with an optional unit";
            return false;
        }
        var (number, unitText) = result.Value;
        if (unitText is not { } u)
        {
            error = "";
            quantity = new Quantity(number, Dimension.None);
            return true;
        }
        if (!TryResolve(u.Item1, u.Item2, out var unit, out error)) return false;
        quantity = new Quantity(number * unit.Scale, unit.Dimension);
        return true;
    }

    /// <summary>
    /// " (did you mean 'GFLOP/s'?)" for a rate written without its slash (GFLOPS, TBps, Gbps), or the nearest unit by edit distance.
    /// </summary>
    private static string NearMiss(string over, string? under)
    {
        if (under is null)
            foreach (var cut in new[] { "ps", "PS", "S", "s" })
                if (over.Length > cut.Length && over.EndsWith(cut, StringComparison.Ordinal)
                    && TrySymbol(over[..^cut.Length], out _, out var kind) && kind is "flop" or "byte" or "rate")
                    return $" (did you mean '{over[..^cut.Length]}/s'?)";
        var known = Bases.SelectMany(b => (b.Binary ? Multiples.Keys.Concat(Binary.Keys) : b.Fractional ? Fractions.Keys.Append("")
            : Multiples.Keys).Select(prefix => prefix + b.Symbol));
        return Diagnostics.Suggestion.For(over, known);
    }

    private static bool TryResolve(string over, string? under, out Unit unit, out string error)
    {
        unit = default;
        if (!TrySymbol(over, out var overScale, out var overKind))
        {
            error = $"unknown unit '{over}'{NearMiss(over, under)}";
            return false;
        }
        var underScale = 1.0;
        var underKind = "";
        if (under is not null && !TrySymbol(under, out underScale, out underKind))
        {
            error = $"unknown unit '{under}'";
            return false;
        }
        Dimension? dimension = (overKind, underKind) switch
        {
            ("byte", "") => Dimension.Bytes,
            ("byte", "s") => Dimension.Bandwidth,
            ("flop", "s") => Dimension.ComputeRate,
            ("rate", "") => Dimension.ComputeRate,
            ("hz", "") => Dimension.Frequency,
            ("s", "") => Dimension.Time,
            ("cycle", "") => Dimension.Cycles,
            ("m", "") => Dimension.Length,
            ("J", "byte") => Dimension.EnergyPerBit,
            _ => null,
        };
        if (dimension is null)
        {
            error = $"'{over}{(under is null ? "" : "/" + under)}' is not a unit Sched knows";
            return false;
        }
        // J/bit: the bit's 1/8 B scale divides, so convert back to joules per bit.
        var scale = dimension == Dimension.EnergyPerBit ? overScale / (underScale * 8) : overScale / underScale;
        error = "";
        unit = new Unit(scale, dimension.Value);
        return true;
    }

    private static bool TrySymbol(string word, out double scale, out string kind)
    {
        foreach (var b in Bases)
        {
            if (!word.EndsWith(b.Symbol, StringComparison.Ordinal)) continue;
            var prefix = word[..^b.Symbol.Length];
            double factor;
            if (Multiples.TryGetValue(prefix, out factor) && (prefix.Length == 0 || !b.Fractional || b.Symbol != "m" || prefix == "k")
                || b.Binary && Binary.TryGetValue(prefix, out factor)
                || b.Fractional && Fractions.TryGetValue(prefix, out factor))
            {
                scale = factor * b.Scale;
                kind = b.Kind;
                return true;
            }
        }
        scale = 0;
        kind = "";
        return false;
    }
}
