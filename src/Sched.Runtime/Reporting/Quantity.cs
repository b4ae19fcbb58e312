using System.Globalization;

namespace Sched.Runtime.Reporting;

/// <summary>Prints figures with decimal SI prefixes, as the language writes them.</summary>
public static class Quantity
{
    public static string Bytes(double bytes) => Scaled(bytes, "B");
    public static string Hertz(double hz) => Scaled(hz, "Hz");

    public static string Seconds(double s)
    {
        var (scale, unit) = s >= 1 ? (1.0, "s") : s >= 1e-3 ? (1e3, "ms") : s >= 1e-6 ? (1e6, "us") : (1e9, "ns");
        return (s * scale).ToString("0.###", CultureInfo.InvariantCulture) + " " + unit;
    }

    public static string Scaled(double value, string unit)
    {
        string[] prefixes = ["", "k", "M", "G", "T", "P"];
        var p = 0;
        while (Math.Abs(value) >= 1000 && p < prefixes.Length - 1) { value /= 1000; p++; }
        return value.ToString("0.###", CultureInfo.InvariantCulture) + " " + prefixes[p] + unit;
    }
}
