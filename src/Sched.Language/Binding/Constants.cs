using System.Globalization;
using Sched.Language.Diagnostics;
using Sched.Language.Syntax;
using Sched.Language.Units;

namespace Sched.Language.Binding;

/// <summary>Evaluates compile-time expressions (parameters, shapes, property values) to quantities, checking dimensions.</summary>
internal sealed class Constants(DiagnosticBag diagnostics, IReadOnlyDictionary<string, Quantity> names)
{
    public Quantity? Evaluate(ExpressionSyntax syntax)
    {
        switch (syntax)
        {
            case LiteralSyntax literal:
                return Literal(literal, diagnostics);
            case NameSyntax name when names.TryGetValue(name.Name.Text, out var value):
                return value;
            case NameSyntax name:
                diagnostics.ReportUnknownName(name.Span, name.Name.Text, "parameter", names.Keys);
                return null;
            case UnarySyntax unary:
                return Evaluate(unary.Operand) is { } operand ? operand with { Value = -operand.Value } : null;
            case BinarySyntax binary:
            {
                var left = Evaluate(binary.Left);
                var right = Evaluate(binary.Right);
                if (left is not { } l || right is not { } r) return null;
                return Combine(binary, l, r, diagnostics);
            }
            default:
                diagnostics.ReportInvalidValue(syntax.Span, "expected a number or a parameter here");
                return null;
        }
    }

    /// <summary>A positive whole number, such as a dimension or a count.</summary>
    public int? Count(ExpressionSyntax syntax, string what, int min = 1)
    {
        if (Evaluate(syntax) is not { } q) return null;
        if (q.Dimension != Dimension.None)
        {
            diagnostics.ReportWrongDimension(syntax.Span, what, "a plain number", q);
            return null;
        }
        if (q.Value != Math.Floor(q.Value) || q.Value < min || q.Value > int.MaxValue)
        {
            diagnostics.ReportInvalidValue(syntax.Span,
                $"{what} must be a whole number from {min} to {int.MaxValue}, not {q.Value.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }
        return (int)q.Value;
    }

    public static Quantity? Literal(LiteralSyntax literal, DiagnosticBag diagnostics)
    {
        var number = double.Parse(literal.Number, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(number))
        {
            diagnostics.ReportInvalidNumber(literal.Span, literal.Number);
            return null;
        }
        if (literal.Unit is null) return new Quantity(number, Dimension.None);
        if (!UnitGrammar.TryParseUnit(literal.Unit, out var unit, out var error))
        {
            diagnostics.ReportUnknownUnit(literal.UnitSpan, error);
            return null;
        }
        return new Quantity(number * unit.Scale, unit.Dimension);
    }

    /// <summary>Arithmetic on quantities: + and - need one dimension; * and / need one side plain.</summary>
    public static Quantity? Combine(BinarySyntax binary, Quantity l, Quantity r, DiagnosticBag diagnostics)
    {
        switch (binary.Operator)
        {
            case "+" or "-" when l.Dimension == r.Dimension:
                return new Quantity(binary.Operator == "+" ? l.Value + r.Value : l.Value - r.Value, l.Dimension);
            case "*" when l.Dimension == Dimension.None || r.Dimension == Dimension.None:
                return new Quantity(l.Value * r.Value, l.Dimension == Dimension.None ? r.Dimension : l.Dimension);
            case "/" or "%" when r.Dimension == Dimension.None || r.Dimension == l.Dimension:
                if (r.Value == 0)
                {
                    diagnostics.ReportInvalidValue(binary.Right.Span, "division by zero");
                    return null;
                }
                var dimension = r.Dimension == Dimension.None ? l.Dimension : Dimension.None;
                return new Quantity(binary.Operator == "/" ? l.Value / r.Value : l.Value % r.Value, dimension);
            case "+" or "-" or "*" or "/" or "%":
                diagnostics.ReportDimensionMismatch(binary.OperatorSpan, binary.Operator, l.Dimension, r.Dimension);
                return null;
            default:
                diagnostics.ReportInvalidValue(binary.OperatorSpan, $"'{binary.Operator}' compares; a value is expected here");
                return null;
        }
    }
}
