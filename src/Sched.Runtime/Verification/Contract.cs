using Sched.Runtime.Schedules;

namespace Sched.Runtime.Verification;

public enum Comparison { Less, LessOrEqual, Greater, GreaterOrEqual, Equal, NotEqual }

/// <summary>An <c>assert</c> of the program, compiled to two functions of the measured metrics.</summary>
public sealed record Contract(string Text, SourceLine Source, Func<Metrics, double> Measured, Comparison Comparison, Func<Metrics,
    double> Promised, bool InSeconds = false)
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
            _ => measured != promised,
        };
        return new ContractResult(this, measured, promised, holds);
    }
}

public sealed record ContractResult(Contract Contract, double Measured, double Promised, bool Holds)
{
    public string Show(double value) => Contract.InSeconds
        ? Reporting.Quantity.Seconds(value)
        : value.ToString("G10", System.Globalization.CultureInfo.InvariantCulture);
}
