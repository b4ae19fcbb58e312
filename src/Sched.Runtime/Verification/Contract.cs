using Sched.Runtime.Schedules;

namespace Sched.Runtime.Verification;

/// <summary>How a contract compares; <see cref="Against"/> is a prediction set beside a published figure, which always holds.</summary>
public enum Comparison { Less, LessOrEqual, Greater, GreaterOrEqual, Equal, NotEqual, Against }

/// <summary>An <c>assert</c> of the program, compiled to two functions of the measured metrics.</summary>
public sealed record Contract(string Text, SourceLine Source, Func<Metrics, double> Measured, Comparison Comparison, Func<Metrics,
    double> Promised, string Unit = "")
{
    public ContractResult Check(Metrics metrics)
    {
        var measured = Measured(metrics);
        var promised = Promised(metrics);
        var holds = Comparison switch
        {
            Comparison.Less => measured < promised,
            Comparison.LessOrEqual => measured <= promised,
            Comparison.Greater => measured > promised,
            Comparison.GreaterOrEqual => measured >= promised,
            Comparison.Equal => measured == promised,
            Comparison.Against => true,
            _ => measured != promised,
        };
        return new ContractResult(this, measured, promised, holds);
    }
}

public sealed record ContractResult(Contract Contract, double Measured, double Promised, bool Holds)
{
    public bool IsPrediction => Contract.Comparison == Comparison.Against;

    /// <summary>The report's line: a contract with what was measured and promised, a prediction with its ratio to the published.</summary>
    public string Line => IsPrediction
        ? $"prediction      {Contract.Text}  (predicted {Show(Measured)}, published {Show(Promised)}: ratio "
            + (Measured / Promised).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + ")"
        : $"contract {(Holds ? "ok    " : "FAILED")} {Contract.Text}  (measured {Show(Measured)}, promised {Show(Promised)})";

    /// <summary>A figure in the contract's unit: a time, bytes, a rate, or a plain number.</summary>
    public string Show(double value) => Contract.Unit switch
    {
        "s" => Reporting.Quantity.Seconds(value),
        "B" => Reporting.Quantity.Bytes(value),
        "B/s" => Reporting.Quantity.Scaled(value, "B/s"),
        "" => value.ToString("G10", System.Globalization.CultureInfo.InvariantCulture),
        var unit => value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture) + " " + unit,
    };
}
