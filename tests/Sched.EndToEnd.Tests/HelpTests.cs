using System.Globalization;

namespace Sched.EndToEnd.Tests;

/// <summary>The command line behaves as dotnet tools do: help on request exits 0, a usage mistake exits 2 with the usage.</summary>
[NonParallelizable]
public class HelpTests
{
    [TestCase("", TestName = "bare sched")]
    [TestCase("help", TestName = "sched help")]
    [TestCase("--help", TestName = "sched --help")]
    public void Help_lists_the_commands_and_exits_0(string line)
    {
        var (exit, output, _) = SchedCommand.Run(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.That(exit, Is.EqualTo(0));
        foreach (var command in new[] { "check", "build", "run", "verify", "bench", "targets", "sweep", "report" })
            Assert.That(output, Does.Contain($"  {command} "), command);
    }

    [Test]
    public void Help_of_one_command_shows_its_usage()
    {
        var (exit, output, _) = SchedCommand.Run("help", "sweep");
        Assert.That(exit, Is.EqualTo(0));
        Assert.That(output, Does.Contain(" sweep <file> [options]").And.Contain("--csv"));
    }

    [Test]
    public void Version_prints_the_version()
    {
        var (exit, output, _) = SchedCommand.Run("--version");
        Assert.That(exit, Is.EqualTo(0));
        Assert.That(output, Does.Match(@"^\d+\.\d+\.\d+"));
    }

    // The usage line starts with the executable's name: sched when installed, testhost here.
    [TestCase("frobnicate", " [command] [options]", TestName = "an unknown command")]
    [TestCase("report x.sched", " report <file> [options]", TestName = "a missing required option")]
    [TestCase("verify x.sched --format yaml", " verify <files>... [options]", TestName = "a bad option value")]
    public void A_usage_mistake_exits_2_with_the_usage_on_stderr(string line, string usage)
    {
        var (exit, output, error) = SchedCommand.Run(line.Split(' '));
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.StartWith("sched: error SCH0005: "));
        Assert.That(error, Does.Contain(usage));
        Assert.That(output, Is.Empty);
    }
}

/// <summary>sched bench psplib reports the literature's measures beside its own.</summary>
[NonParallelizable]
public class PsplibBenchTests
{
    [Test]
    public void Deviations_are_from_the_critical_path_and_from_the_best_known_makespan()
    {
        var shared = Path.Combine(SchedCommand.Root, "..", "shared", "data", "psplib", "j30", "j301_1.sm");
        if (!File.Exists(shared)) Assert.Ignore("../shared/data/psplib is not beside the checkout");
        var dir = Path.GetDirectoryName(SchedCommand.Temp("j301_1.sm", File.ReadAllText(shared)))!;
        // j301_1's optimum is 43; written as a range whose upper end (the best known) is 46 and as "..46" (only a best known).
        foreach (var optimum in new[] { "40..46", "..46" })
        {
            File.WriteAllText(Path.Combine(dir, "optimum.csv"), $"problem,optimum\nj301_1.sm,{optimum}\n");
            var (exit, output, error) = SchedCommand.Run("bench", "psplib", dir);
            Assert.That(exit, Is.EqualTo(0), output + error);
            var makespan = int.Parse(System.Text.RegularExpressions.Regex.Match(output, @"j301_1\.sm\s+(\d+)").Groups[1].Value);
            var path = int.Parse(System.Text.RegularExpressions.Regex.Match(output, @"critical path (\d+)").Groups[1].Value);
            Assert.That(output, Does.Contain(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"from best known {100.0 * (makespan - 46) / 46,6:F2}%")));
            Assert.That(output, Does.Contain(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"mean deviation from the critical-path bound: {100.0 * (makespan - path) / path:F2}% (1 solved)")));
            if (optimum == "..46") Assert.That(output, Does.Contain("deviation       -"), "no lower end, no deviation from it");
        }
    }

    [Test]
    public void Several_seeds_run_the_set_once_each_and_print_the_mean_of_their_measures()
    {
        var shared = Path.Combine(SchedCommand.Root, "..", "shared", "data", "psplib", "j30");
        if (!Directory.Exists(shared)) Assert.Ignore("../shared/data/psplib is not beside the checkout");
        var (exit, output, error) = SchedCommand.Run("bench", "psplib", shared, "--seed", "5", "--seeds", "2", "--passes", "50");
        Assert.That(exit, Is.EqualTo(0), output + error);
        Assert.That(output, Does.Contain("seed 5:\n").And.Contain("seed 6:\n").And.Not.Contain("seed 7:"));
        var summary = @"critical-path bound: ([0-9.]+)%.*best known makespan: ([0-9.]+)%";
        var each = System.Text.RegularExpressions.Regex.Matches(output, summary)
            .Select(m => (Path: double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
                Best: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToList();
        Assert.That(each, Has.Count.EqualTo(2), "one summary a seed");
        Assert.That(output, Does.Contain(string.Create(CultureInfo.InvariantCulture,
            $"over seeds 5..6: from the critical-path bound {(each[0].Path + each[1].Path) / 2:F2}% " +
            $"({each[0].Path:F2}, {each[1].Path:F2})")));
        var (badExit, _, badError) = SchedCommand.Run("bench", "psplib", shared, "--seeds", "0");
        Assert.That(badExit, Is.EqualTo(2));
        Assert.That(badError, Does.StartWith("sched: error SCH2005: --seeds must be at least 1"));
        var (cutExit, _, cutError) = SchedCommand.Run("bench", "psplib", shared, "--first-jobs", "0");
        Assert.That(cutExit, Is.EqualTo(2));
        Assert.That(cutError, Does.StartWith("sched: error SCH2005: --first-jobs must be at least 1"));
    }

    [Test]
    public void A_malformed_instance_is_named_with_its_line_and_the_rest_of_the_set_still_runs()
    {
        var j30 = Path.Combine(SchedCommand.Root, "..", "shared", "data", "psplib", "j30", "j301_1.sm");
        if (!File.Exists(j30)) Assert.Ignore("../shared/data/psplib is not beside the checkout");
        var folder = Directory.CreateTempSubdirectory("sched-bench-").FullName;
        try
        {
            File.Copy(j30, Path.Combine(folder, "a.sm"));
            var broken = File.ReadAllText(j30).Replace("  2        1          3", "  2        1          x");   // job 2's successor count
            File.WriteAllText(Path.Combine(folder, "b.sm"), broken);
            var (exit, output, error) = SchedCommand.Run("bench", "psplib", folder, "--passes", "20");
            Assert.That(exit, Is.EqualTo(1), "a set with a broken instance fails");
            Assert.That(error, Does.Contain("b.sm: error SCH2004: line ").And.Contain("'x' is not a whole number"));
            Assert.That(output, Does.Contain("a.sm").And.Contain("instances: 2  feasible: 1"));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Test]
    public void First_jobs_cuts_every_instance_and_leaves_the_known_optima_aside()
    {
        var shared = Path.Combine(SchedCommand.Root, "..", "shared", "data", "psplib", "j30");
        if (!Directory.Exists(shared)) Assert.Ignore("../shared/data/psplib is not beside the checkout");
        var (exit, output, error) = SchedCommand.Run("bench", "psplib", shared, "--first-jobs", "10", "--passes", "50");
        Assert.That(exit, Is.EqualTo(0), output + error);
        var makespans = System.Text.RegularExpressions.Regex.Matches(output, @"j301_\d\.sm +(\d+)  \(no known optimum\)")
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.That(makespans, Has.Count.EqualTo(5), output);
        Assert.That(makespans[0], Is.LessThan(43), "j301_1's first 10 jobs end before its 32 do");
        var (bothExit, _, bothError) = SchedCommand.Run("bench", "psplib", shared, "--first-jobs", "10",
            "--optima", Path.Combine(shared, "optimum.csv"));
        Assert.That(bothExit, Is.EqualTo(2));
        Assert.That(bothError, Does.StartWith("sched: error SCH2005: --optima does not apply with --first-jobs"));
    }
}
