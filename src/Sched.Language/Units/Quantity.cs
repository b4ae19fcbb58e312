using System.Globalization;

namespace Sched.Language.Units;

/// <summary>A number with its dimension, its value kept in the dimension's base unit (B, B/s, FLOP/s, Hz, s, cycles, m, J/bit).</summary>
public readonly record struct Quantity(double Value, Dimension Dimension)
{
    public override string ToString() => Value.ToString("G6", CultureInfo.InvariantCulture) + Dimension switch
    {
        Dimension.None => "",
        Dimension.Bytes => " B",
        Dimension.Bandwidth => " B/s",
        Dimension.ComputeRate => " FLOP/s",
        Dimension.Frequency => " Hz",
        Dimension.Time => " s",
        Dimension.Cycles => " cycles",
        Dimension.Length => " m",
        _ => " J/bit",
    };
}
