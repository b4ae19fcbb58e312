using Sched.Language.Diagnostics;
using Sched.Language.Syntax;
using Sched.Language.Text;
using Sched.Language.Units;
using Sched.Runtime.Targets;
using Sched.Runtime.Targets.Kinds;

namespace Sched.Language.Binding;

/// <summary>
/// Reads a component's properties against its kind's schema (<see cref="Property"/>): the names it knows, each value in
/// its unit, its range, per-dtype values where allowed, and the properties that must be given. No list of kinds or
/// properties lives here: the kinds own them.
/// </summary>
internal static class PropertyReader
{
    /// <summary>The given properties in base units (latencies and times in whole cycles at the clock), defaults filled in.</summary>
    public static Dictionary<string, double> Read(IReadOnlyList<PropertySyntax> properties, IReadOnlyList<Property> schema, string kind,
        string owner, double clock, Constants constants, DiagnosticBag diagnostics)
    {
        var values = new Dictionary<string, double>();
        foreach (var p in properties)
        {
            var property = schema.FirstOrDefault(x => x.Name == p.Name.Text);
            if (property is null)
            {
                diagnostics.ReportUnknownProperty(p.Name.Span, kind, p.Name.Text, schema.Where(x => x.Refused is null).Select(x => x.Name));
                continue;
            }
            if (property.Refused is { } why)
            {
                diagnostics.ReportInvalidValue(p.Name.Span, $"{owner}'s '{property.Name}' is not modelled: {why}");
                continue;
            }
            if (Key(p, property, diagnostics) is not { } key) continue;
            if (values.ContainsKey(key))
            {
                diagnostics.ReportDuplicateName(p.Name.Span, p.Name.Text);
                continue;
            }
            if (Value(p.Value, property, owner, clock, constants, diagnostics) is { } value) values[key] = value;
        }
        foreach (var property in schema)
            if (property.Default is { } byDefault && !values.ContainsKey(property.Name)) values[property.Name] = byDefault;
        return values;
    }

    /// <summary>Reports each required property that is missing (a per-dtype one given for any dtype counts as given).</summary>
    /// <param name="given">the property names as written: a misspelt required one was reported already, so it is not missing again</param>
    public static bool HasRequired(Dictionary<string, double> values, IReadOnlyList<Property> schema, TextSpan span, string owner,
        DiagnosticBag diagnostics, IEnumerable<PropertySyntax>? given = null)
    {
        var ok = true;
        var misspelt = (given ?? []).Select(p => p.Name.Text).Where(n => schema.All(x => x.Name != n))
            .Select(n => Suggestion.Closest(n, schema.Select(x => x.Name))).ToHashSet();
        // A property written with a value that was refused (an unknown unit, say) was reported there, not missing again.
        misspelt.UnionWith((given ?? []).Select(p => p.Name.Text));
        foreach (var property in schema.Where(p => p.Required))
            if (!values.ContainsKey(property.Name) && !values.Keys.Any(k => k.StartsWith(property.Name + "@", StringComparison.Ordinal)))
            {
                if (!misspelt.Contains(property.Name)) diagnostics.ReportMissingProperty(span, owner, property.Name);
                ok = false;
            }
        return ok;
    }

    /// <summary>The name a value is kept under: the property's, or "peak@int8" for a value given per dtype.</summary>
    private static string? Key(PropertySyntax p, Property property, DiagnosticBag diagnostics)
    {
        if (p.Dtype is null) return property.Name;
        if (!property.PerDtype)
        {
            diagnostics.ReportInvalidValue(p.Dtype.Span, "only a peak is given per dtype ('peak = 750 TFLOP/s @ int8;')");
            return null;
        }
        if (DataTypeFacts.TryParse(p.Dtype.Text, out _)) return property.Name + "@" + p.Dtype.Text;
        diagnostics.ReportUnknownDtype(p.Dtype.Span, p.Dtype.Text);
        return null;
    }

    private static double? Value(ExpressionSyntax syntax, Property property, string owner, double clock, Constants constants,
        DiagnosticBag diagnostics)
    {
        var what = $"{owner}'s {property.Name}";
        double? value = property.Unit switch
        {
            PropertyUnit.Bytes => Expect(constants, syntax, what, Dimension.Bytes, diagnostics),
            PropertyUnit.BytesPerSecond => Expect(constants, syntax, what, Dimension.Bandwidth, diagnostics),
            PropertyUnit.FlopsPerSecond => Expect(constants, syntax, what, Dimension.ComputeRate, diagnostics),
            PropertyUnit.Metres => Expect(constants, syntax, what, Dimension.Length, diagnostics),
            PropertyUnit.Number => Expect(constants, syntax, what, Dimension.None, diagnostics),
            PropertyUnit.Count => constants.Count(syntax, what, min: Math.Max(1, (int)property.Min)),
            _ => Latency(constants, syntax, what, clock, diagnostics),
        };
        if (value is not { } v) return null;
        if (property.AboveZero && v <= 0) diagnostics.ReportInvalidValue(syntax.Span, $"{what} must be above 0");
        else if (v < property.Min) diagnostics.ReportInvalidValue(syntax.Span, $"{what} must be at least {property.Min}");
        else if (v > property.Max) diagnostics.ReportInvalidValue(syntax.Span, $"{what} is too large to address");
        else return v;
        return null;
    }

    public static double? Expect(Constants constants, ExpressionSyntax syntax, string what, Dimension dimension, DiagnosticBag diagnostics)
    {
        if (constants.Evaluate(syntax) is not { } q) return null;
        if (q.Dimension == dimension) return q.Value;
        diagnostics.ReportWrongDimension(syntax.Span, what, dimension.Describe(), q);
        return null;
    }

    private static double? Latency(Constants constants, ExpressionSyntax syntax, string what, double clock, DiagnosticBag diagnostics)
    {
        if (constants.Evaluate(syntax) is not { } q) return null;
        double cycles;
        if (q.Dimension == Dimension.Cycles) cycles = q.Value;
        else if (q.Dimension == Dimension.Time) cycles = Cycle.Ceiling(q.Value * clock);
        else
        {
            diagnostics.ReportWrongDimension(syntax.Span, what, "a number of cycles or a time", q);
            return null;
        }
        if (cycles < 0 || cycles > int.MaxValue || cycles != Math.Floor(cycles))
        {
            diagnostics.ReportInvalidValue(syntax.Span, $"{what} must be a whole number of cycles from 0 up");
            return null;
        }
        return cycles;
    }
}
