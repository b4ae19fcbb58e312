using System.CommandLine;

namespace Sched.EndToEnd.Tests;

/// <summary>The documented exit codes: 0 ok, 1 a verification or contract failure, 2 bad input or usage, 3 an internal error.</summary>
[NonParallelizable]
public class ExitCodeTests
{
    private static string Temp(string name, string text) => SchedCommand.Temp(name, text);

    [Test]
    public void Bare_sched_prints_its_commands_and_exits_zero()
    {
        var (exit, output, _) = SchedCommand.Run();
        Assert.That(exit, Is.EqualTo(0));
        Assert.That(output, Does.Contain("verify").And.Contain("build"));
    }

    [Test]
    public void Zero_when_everything_verifies() => Assert.That(SchedCommand.Run("verify", SchedCommand.Example("hello.sched")).Exit, Is.EqualTo(0));

    [Test]
    public void One_when_a_contract_fails()
    {
        var path = Temp("tight.sched", File.ReadAllText(SchedCommand.Example("hello.sched")).Replace("assert cycles == 94;", "assert cycles < 50;"));
        Assert.That(SchedCommand.Run("verify", path).Exit, Is.EqualTo(1));
    }

    [TestCase("verify", "--no-such-option", "x.sched")]
    [TestCase("no-such-command")]
    public void Two_for_a_usage_mistake(params string[] args)
    {
        var (exit, _, err) = SchedCommand.Run(args);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(err, Does.Not.Contain("   at "), "no stack trace");
    }

    [TestCase("/dev/zero")]
    [TestCase("/tmp")]
    [TestCase("missing.sched")]
    public void Two_for_a_file_that_cannot_be_read(string path)
    {
        var (exit, _, err) = SchedCommand.Run("run", path);
        Assert.That((exit, err.Contains("SCH0004")), Is.EqualTo((2, true)), err);
    }

    [Test]
    public void Three_for_an_internal_error_in_one_line()
    {
        var boom = new Command("boom");
        boom.SetAction((Func<ParseResult, int>)(_ => throw new InvalidOperationException("kaput")));
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var err = new StringWriter();
        Console.SetError(err);
        try { Assert.That(Cli.Program.Invoke(new RootCommand { boom }, ["boom"]), Is.EqualTo(3)); }
        finally { Console.SetOut(stdout); Console.SetError(stderr); }
        Assert.That(err.ToString(), Does.StartWith("sched: error SCH3999: internal error: InvalidOperationException: kaput"));
        Assert.That(err.ToString(), Does.Not.Contain("   at "));
    }

    [TestCase("existing file")]
    [TestCase("/dev/null")]
    [TestCase("/proc/x")]
    [TestCase("")]
    public void Two_for_a_build_folder_that_cannot_be_written(string output)
    {
        if (output == "existing file") output = Temp("taken", "x");
        var (exit, _, err) = SchedCommand.Run("build", SchedCommand.Example("hello.sched"), "-o", output);
        Assert.That((exit, err.Contains("SCH0004")), Is.EqualTo((2, true)), err);
    }

    [Test]
    public void Two_for_a_schedule_path_that_is_a_folder()
    {
        var dir = Path.GetDirectoryName(Temp("x", "x"))!;
        var (exit, _, err) = SchedCommand.Run("build", SchedCommand.Example("hello.sched"), "-o", Path.Combine(dir, "out"), "--emit-schedule", dir);
        Assert.That(exit, Is.EqualTo(2), err);
    }

    [TestCase("Main")]
    [TestCase("Machine")]
    [TestCase("Run")]
    [TestCase("Contracts")]
    public void A_program_named_like_a_generated_member_builds_and_verifies(string name)
    {
        var path = Temp($"{name}.sched", File.ReadAllText(SchedCommand.Example("hello.sched")));
        Assert.That(SchedCommand.Run("verify", path).Exit, Is.EqualTo(0));
    }

    [Test]
    public void A_build_folder_names_no_checkout_path_so_two_checkouts_build_the_same_bytes()
    {
        // The only thing that differed between checkouts was the absolute pdb path inside Sched.Runtime.dll (PathMap fixes it).
        var output = Path.GetDirectoryName(Temp("x", "x"))!;
        Assert.That(SchedCommand.Run("build", SchedCommand.Example("hello.sched"), "-o", output).Exit, Is.EqualTo(0));
        var root = System.Text.Encoding.UTF8.GetBytes(SchedCommand.Root);
        foreach (var file in Directory.GetFiles(output, "*.dll"))
            Assert.That(File.ReadAllBytes(file).AsSpan().IndexOf(root), Is.EqualTo(-1), $"{Path.GetFileName(file)} names {SchedCommand.Root}");
        Assert.That(Directory.GetFiles(output).Select(Path.GetFileName), Is.EquivalentTo(new[] { "x", "hello.dll", "hello.runtimeconfig.json",
            "Sched.Runtime.dll" }), "nothing half-written is left behind");
    }

    [Test]
    public void Four_builds_into_one_folder_at_once_all_succeed_and_leave_a_runnable_build()
    {
        var output = Path.Combine(Path.GetDirectoryName(Temp("x", "x"))!, "out");
        var codes = new int[4];
        Parallel.For(0, 4, i => codes[i] = Cli.Program.Main(["build", SchedCommand.Example(i % 2 == 0 ? "hello.sched" : "mlp.sched"), "-o", output]));
        Assert.That(codes, Is.All.EqualTo(0));
        Assert.That(Directory.GetDirectories(output), Is.Empty, "no staging folder is left");
        Assert.That(File.Exists(Path.Combine(output, "hello.dll")) && File.Exists(Path.Combine(output, "mlp.dll")), Is.True);
    }
}
