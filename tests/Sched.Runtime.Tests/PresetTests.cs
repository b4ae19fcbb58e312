using Sched.Runtime.Targets.Library;

namespace Sched.Runtime.Tests;

/// <summary>Every preset of the target library: two figures derived from its sourced ones.</summary>
public class PresetTests
{
    private static double Drain(Preset p) => p.Tiers[0].DrainSeconds;
    private static double BytesPerCycle(Preset p) => p.Machine!.Links[0].BytesPerCycle;
    private static double FlopsPerCycle(Preset p) => p.Machine!.Units[0].FlopsPerCycle;

    public static IEnumerable<TestCaseData> Figures()
    {
        TestCaseData Case(string name, Func<Preset, double> first, double a, Func<Preset, double> second, double b) =>
            new TestCaseData(name, first, a, second, b).SetName($"{name}: two derived figures");
        yield return Case("groq.lpu", Drain, 2.9e-6, BytesPerCycle, 80e12 / 900e6);
        yield return Case("cerebras.wse3", Drain, 2.1e-6, FlopsPerCycle, 125e6);
        yield return Case("cerebras.wse3.measured", Drain, 2.1e-6, p => p.Machine!.Units[0].ResultBytesPerCycle, 11.5e9 / 1e9);
        yield return Case("nvidia.h100", Drain, 23.9e-3, BytesPerCycle, 3.35e12 / 1.98e9);
        yield return Case("nvidia.h100.measured", Drain, 23.9e-3, BytesPerCycle, 3.35e12 * 1397 / 2039 / 1.98e9);
        yield return Case("nvidia.h200", Drain, 29.4e-3, BytesPerCycle, 4.8e12 / 1.98e9);
        yield return Case("host.ddr5", Drain, 13.0, p => p.Tiers[0].Bandwidth, 12 * 4800e6 * 8);
        yield return Case("flash.nvme-gen5", Drain, 19.7 * 60, p => 13.4e9 / p.Tiers[0].Bandwidth, 1.03);
        yield return Case("flash.hbf", Drain, 4e12 / 3.35e12, p => p.Tiers[0].Capacity / 8, 0.5e12);
        yield return Case("fiber.carmack", p => p.Tiers[0].LatencySeconds, 0.979e-3, p => p.Tiers[0].Capacity, 31.3e9);
        yield return Case("pim.hbm-pim", p => p.Tiers[0].Bandwidth, 4 * 307.2e9, FlopsPerCycle, 1.2e12 / 300e6);
        yield return Case("pim.aim", p => p.Tiers[0].Bandwidth / (16e9 / 8 * 16), 16, FlopsPerCycle, 1000);
        yield return Case("pim.upmem", p => p.Tiers[0].Capacity, 163.84e9, p => p.Tiers[0].Bandwidth, 2.56e12);
        yield return Case("stacked.hmc", Drain, 4e9 / 160e9, p => p.Tiers[0].Bandwidth, 16 * 10e9);
        yield return Case("cxl.cmm-d", Drain, 256e9 / 36e9, p => p.Tiers[0].LatencySeconds * 2e9, 500);
    }

    [TestCaseSource(nameof(Figures))]
    public void Derived_figures_hold(string name, Func<Preset, double> first, double a, Func<Preset, double> second, double b)
    {
        var preset = Catalogue.Find(name);
        Assert.That(preset, Is.Not.Null);
        Assert.That(first(preset!), Is.EqualTo(a).Within(2).Percent);
        Assert.That(second(preset!), Is.EqualTo(b).Within(2).Percent);
    }

    [Test]
    public void Every_preset_is_tested()
    {
        var tested = Figures().Select(c => (string)c.Arguments[0]!).ToHashSet();
        Assert.That(Catalogue.All.Select(p => p.Name), Is.SubsetOf(tested));
    }
}
