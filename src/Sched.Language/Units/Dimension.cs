namespace Sched.Language.Units;

/// <summary>What a quantity measures; each has one base unit that values are kept in.</summary>
public enum Dimension
{
    /// <summary>A plain number (a count, a ratio).</summary>
    None,
    /// <summary>Bytes (B); bits are eighths of a byte.</summary>
    Bytes,
    /// <summary>Bytes per second (B/s).</summary>
    Bandwidth,
    /// <summary>Floating-point operations per second (FLOP/s).</summary>
    ComputeRate,
    /// <summary>Hertz.</summary>
    Frequency,
    /// <summary>Seconds.</summary>
    Time,
    /// <summary>Clock cycles of the target.</summary>
    Cycles,
    /// <summary>Metres.</summary>
    Length,
    /// <summary>Joules per bit.</summary>
    EnergyPerBit,
}

public static class DimensionFacts
{
    /// <summary>How a message names the dimension: "a bandwidth", "a frequency"…</summary>
    public static string Describe(this Dimension d) => d switch
    {
        Dimension.None => "a plain number",
        Dimension.Bytes => "a size in bytes",
        Dimension.Bandwidth => "a bandwidth",
        Dimension.ComputeRate => "a compute rate",
        Dimension.Frequency => "a frequency",
        Dimension.Time => "a time",
        Dimension.Cycles => "a number of cycles",
        Dimension.Length => "a length",
        _ => "an energy per bit",
    };
}
