using System.Text.Json;
using Sched.Runtime.Targets.Library;

namespace Sched.EndToEnd.Tests;

/// <summary>The target library's presets: derived figures against HARDWARE.md, and programs on them.</summary>
[NonParallelizable]
public class TargetLibraryTests
{
    // Drain times from HARDWARE.md's table (capacity ÷ bandwidth), in seconds.
    [TestCase("groq.lpu", 2.9e-6)]
    [TestCase("cerebras.wse3", 2.1e-6)]
    [TestCase("nvidia.h100", 23.9e-3)]
    [TestCase("nvidia.h200", 29.4e-3)]
    [TestCase("host.ddr5", 13.0)]
    [TestCase("flash.nvme-gen5", 19.7 * 60)]
    public void Drain_times_match_the_hardware_table_within_2_percent(string preset, double drain)
    {
        var (exit, output, _) = SchedCommand.Run("targets", preset, "--json");
        Assert.That(exit, Is.EqualTo(0));
        var tier = JsonDocument.Parse(output).RootElement[0].GetProperty("tiers")[0];
        Assert.That(tier.GetProperty("drainSeconds").GetDouble(), Is.EqualTo(drain).Within(2).Percent);
    }

    [Test]
    public void Carmacks_loop_holds_about_32_GB_over_a_0_979_ms_period()
    {
        var (exit, output, _) = SchedCommand.Run("targets", "fiber.carmack");
        Assert.That(exit, Is.EqualTo(0));
        Assert.That(output, Does.Contain("period: 0.979 ms"));
        Assert.That(output, Does.Contain("in flight: 31.3 GB"));
        var tier = Catalogue.Find("fiber.carmack")!.Tiers[0];
        Assert.That(tier.Capacity, Is.EqualTo(32e9).Within(3).Percent);
        Assert.That(tier.Bandwidth, Is.EqualTo(32e12));
    }

    [Test]
    public void Every_preset_cites_its_figures_and_the_table_shows_them()
    {
        var (_, output, _) = SchedCommand.Run("targets");
        foreach (var preset in Catalogue.All)
        {
            Assert.That(preset.Sources, Is.Not.Empty, preset.Name);
            Assert.That(output, Does.Contain(preset.Name + ":"));
            Assert.That(preset.Machine is null, Is.EqualTo(preset.NotSchedulable is not null), preset.Name);
        }
    }

    [Test]
    public void An_unknown_preset_is_a_diagnostic()
    {
        var (exit, _, error) = SchedCommand.Run("targets", "nvidia.h900");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("SCH1010").And.Contain("nvidia.h100"));
    }

    [TestCase("groq.lpu")]
    [TestCase("cerebras.wse3")]
    [TestCase("nvidia.h100")]
    [TestCase("nvidia.h200")]
    [TestCase("pim.aim")]
    [TestCase("pim.hbm-pim")]
    public void A_program_runs_on_each_schedulable_preset(string preset)
    {
        var memory = Catalogue.Find(preset)!.Machine!.Memories[0].Name;
        var path = Path.Combine(Path.GetTempPath(), $"preset-{Guid.NewGuid():N}.sched");
        File.WriteAllText(path,
            $"use target {preset};\nprogram P(n = 64) on {preset} {{ input x : fp16[1, n] in {memory}; weight w : fp16[n, n] in " +
            $"{memory}; let y = silu(matmul(x, w)); output y; }}\n");
        var (exit, output, error) = SchedCommand.Run("run", path);
        Assert.That(exit, Is.EqualTo(0), output + error);
        Assert.That(output, Does.Contain("functional: ok"));
    }

    [Test]
    public void Presets_whose_rules_are_not_modelled_refuse_programs_with_a_reason()
    {
        var path = Path.Combine(Path.GetTempPath(), $"preset-{Guid.NewGuid():N}.sched");
        File.WriteAllText(path, "program P on fiber.carmack { }\n");
        var (exit, _, error) = SchedCommand.Run("check", path);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("fiber.carmack cannot run programs yet: a memory without compute; declare 'fiber loop0"));
    }

    [Test]
    public void Llama_2_7b_decode_with_its_kv_cache_on_h100_is_within_3_percent_of_the_bandwidth_floor()
    {
        var (exit, output, _) = SchedCommand.Run("run", SchedCommand.Example("llama2-7b-h100.sched"));
        Assert.That(exit, Is.EqualTo(0), output);
        var time = System.Text.RegularExpressions.Regex.Match(output, @"time: ([\d.]+) ms at");
        Assert.That(double.Parse(time.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            Is.EqualTo(4.585).Within(3).Percent);
    }

    [Test]
    public void Targets_kinds_lists_every_kind_with_the_properties_it_accepts()
    {
        var (exit, output, _) = SchedCommand.Run("targets", "--kinds");
        Assert.That(exit, Is.EqualTo(0));
        Assert.That(output, Does.Contain("stacked\n  capacity").And.Contain("vaults").And.Contain("cxl\n").And.Contain("dram | hbm"));
        Assert.That(output, Does.Not.Contain("write"), "a refused property is not offered");
    }
}
