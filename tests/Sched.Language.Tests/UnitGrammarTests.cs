using Sched.Language.Units;

namespace Sched.Language.Tests;

public class UnitGrammarTests
{
    [TestCase("230 MB", 230e6, Dimension.Bytes)]
    [TestCase("220 MiB", 220.0 * 1024 * 1024, Dimension.Bytes)]
    [TestCase("64 KiB", 65536.0, Dimension.Bytes)]
    [TestCase("8 b", 1.0, Dimension.Bytes)]
    [TestCase("3.35 TB/s", 3.35e12, Dimension.Bandwidth)]
    [TestCase("256 Tb/s", 32e12, Dimension.Bandwidth)]
    [TestCase("14 GB/s", 14e9, Dimension.Bandwidth)]
    [TestCase("188 TFLOP/s", 188e12, Dimension.ComputeRate)]
    [TestCase("900 MHz", 900e6, Dimension.Frequency)]
    [TestCase("50 us", 50e-6, Dimension.Time)]
    [TestCase("1 ms", 1e-3, Dimension.Time)]
    [TestCase("20 ns", 20e-9, Dimension.Time)]
    [TestCase("4 cycles", 4.0, Dimension.Cycles)]
    [TestCase("200 km", 200e3, Dimension.Length)]
    [TestCase("3 m", 3.0, Dimension.Length)]
    [TestCase("5 pJ/bit", 5e-12, Dimension.EnergyPerBit)]
    [TestCase("1.5e3", 1500.0, Dimension.None)]
    [TestCase("64", 64.0, Dimension.None)]
    public void Quantities_parse_to_base_units(string text, double value, Dimension dimension)
    {
        Assert.That(UnitGrammar.TryParseQuantity(text, out var q, out var error), Is.True, error);
        Assert.That(q.Dimension, Is.EqualTo(dimension));
        Assert.That(q.Value, Is.EqualTo(value).Within(1e-9).Percent);
    }

    [TestCase("3 GHzz")]
    [TestCase("5 parsecs")]
    [TestCase("2 Kib/s/s")]
    [TestCase("MB")]
    [TestCase("1 B/Hz")]
    [TestCase("")]
    public void Nonsense_is_rejected_with_a_reason(string text)
    {
        Assert.That(UnitGrammar.TryParseQuantity(text, out _, out var error), Is.False);
        Assert.That(error, Is.Not.Empty);
    }

    [Test]
    public void Decimal_and_binary_prefixes_differ()
    {
        UnitGrammar.TryParseQuantity("1 MB", out var mb, out _);
        UnitGrammar.TryParseQuantity("1 MiB", out var mib, out _);
        Assert.That(mib.Value - mb.Value, Is.EqualTo(48576));
    }
}
