using System.Diagnostics;

namespace Sched.EndToEnd.Tests;

/// <summary>The `sched` command as a user runs it: exit codes, diagnostics on stderr, a built assembly that runs with `dotnet`.</summary>
[NonParallelizable]
public class CliTests
{
    private static string Root => SchedCommand.Root;
    private static string Example(string name) => SchedCommand.Example(name);
    private static (int Exit, string Out, string Err) Sched(params string[] args) => SchedCommand.Run(args);

    private static string Temp(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sched-test-{Guid.NewGuid():N}.sched");
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void Verify_passes_on_every_example()
    {
        // All but the 640-chip Groq example, which takes a minute and 4.5 GB: .ci/run verifies it with every other example.
        var files = Directory.GetFiles(Path.Combine(Root, "examples"), "*.sched").Order()
            .Where(f => Path.GetFileName(f) != "groq-llama2-70b.sched").ToArray();
        Assert.That(files, Has.Length.GreaterThanOrEqualTo(2));
        var (exit, output, error) = Sched(["verify", .. files]);
        Assert.That(exit, Is.EqualTo(0), output + error);
        Assert.That(output.Split('\n').Count(l => l.Contains(": verified")), Is.EqualTo(files.Length));
    }

    [Test]
    public void Run_prints_the_report_with_cycles_bound_utilisation_and_traffic()
    {
        var (exit, output, _) = Sched("run", Example("hello.sched"));
        Assert.That(exit, Is.EqualTo(0));
        // One token (a row of the output) in 94 ns: 1 ÷ 94 ns = 10,638,298 a second.
        Assert.That(output, Does.Contain("cycles: 94  time: 94 ns at 1 GHz  tokens/s: 10,638,298"));
        Assert.That(output, Does.Contain("makespan/bound: 1.000"));
        Assert.That(output, Does.Match(@"mxu\s+busy\s+16 cycles"));
        Assert.That(output, Does.Match(@"sbuf->mxu\s+4.16 kB"));
        Assert.That(output, Does.Contain("contract ok     time <= 100 ns  (measured 94 ns, promised 100 ns)"));
    }

    [Test]
    public void A_broken_contract_exits_1_and_points_at_the_assert()
    {
        var (exit, output, _) = Sched("run", Example("hello.sched"), "--set", "n=128");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Does.Contain("hello.sched(30,5): error SCH3006"));
        Assert.That(output, Does.Contain("contract FAILED cycles == 94"));
    }

    [Test]
    public void Input_mistakes_exit_2_with_a_rendered_diagnostic_and_no_stack_trace()
    {
        var path = Temp("program P on T { input x : int8[1, 4] in s; }");
        var (exit, _, error) = Sched("check", path);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("(1,14): error SCH1010: unknown target 'T'"));
        Assert.That(error, Does.Contain("             ^"));
        Assert.That(error, Does.Not.Contain("   at "));
        File.Delete(path);
    }

    [TestCase("run", "--set", "n")]
    [TestCase("run", "--set", "nope=3")]
    [TestCase("run", "--set", "n=3 GHz")]
    public void Bad_overrides_exit_2(params string[] args)
    {
        var (exit, _, error) = Sched([args[0], Example("hello.sched"), .. args[1..]]);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("SCH1018"));
    }

    [Test]
    public void A_missing_file_exits_2()
    {
        var (exit, output, error) = Sched("verify", "/nonexistent/x.sched");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output + error, Does.Contain("/nonexistent/x.sched: error SCH0004: cannot read the program"));
    }

    [Test]
    public void Build_writes_an_assembly_that_dotnet_runs_and_verifies()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"sched-build-{Guid.NewGuid():N}");
        var (exit, _, error) = Sched("build", Example("hello.sched"), "-o", dir);
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(File.Exists(Path.Combine(dir, "hello.runtimeconfig.json")));
        Assert.That(File.Exists(Path.Combine(dir, "Sched.Runtime.dll")));

        var process = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(dir, "hello.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(0), output + process.StandardError.ReadToEnd());
        Assert.That(output, Does.Contain("cycles: 94"));
        Assert.That(output, Does.Contain("verification: ok"));
        Directory.Delete(dir, recursive: true);
    }
}
