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
        Assert.That((exit, output), Is.EqualTo((0, output)));
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
