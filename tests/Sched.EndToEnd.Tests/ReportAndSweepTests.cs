using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sched.EndToEnd.Tests;

/// <summary>sched sweep and sched report: what they print and write, checked on hello.sched, whose figures are derived by hand.</summary>
[NonParallelizable]
public class ReportAndSweepTests
{
    [Test]
    public void A_sweep_runs_every_point_and_writes_the_table_as_csv()
    {
        var csv = SchedCommand.Temp("sweep.csv", "");
        var (exit, output, error) = SchedCommand.Run("sweep", SchedCommand.Example("hello.sched"), "--set", "n=64,128", "--csv", csv);
        Assert.That(exit, Is.EqualTo(0), output + error);
        var rows = File.ReadAllLines(csv);
        Assert.That(rows[0], Does.StartWith("n,cycles,time_s,tokens_per_s,bound_cycles,bound_kind,makespan_over_bound,verified"));
        Assert.That(rows, Has.Length.EqualTo(3));
        // n = 64 is the example as written: 94 cycles (derived in its comment), and its two contracts hold.
        Assert.That(rows[1], Does.StartWith("64,94,9.4E-08,"));
        Assert.That(rows[1], Does.EndWith(",true,2,2,"));
        // n = 128 is another program: cycles == 94 fails there, but the schedule verifies.
        Assert.That(rows[2], Does.Match(@"^128,\d+,.*,true,[01],2,$"));
        Assert.That(output, Does.Contain("makespan/bound").And.Contain("94 ns"));
    }

    [Test]
    public void A_sweep_with_a_point_that_cannot_be_scheduled_says_why_and_exits_1()
    {
        var (exit, output, _) = SchedCommand.Run("sweep", SchedCommand.Example("llama2-7b-h100.sched"), "--set", "batch=32");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Does.Contain("batch=32: SCH2001: the KV cache"));
    }

    [TestCase("batch", TestName = "a --set without values")]
    [TestCase("btach=1,2", TestName = "a parameter the program does not have")]
    [TestCase("batch=1,2 --set batch=3", TestName = "a parameter twice")]
    public void A_bad_sweep_axis_is_a_usage_error(string set)
    {
        var args = new List<string> { "sweep", SchedCommand.Example("hello.sched") };
        foreach (var part in set.Split(" --set ")) args.AddRange(["--set", part]);
        var (exit, _, error) = SchedCommand.Run([.. args]);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("SCH1018").And.Contain("--set"));
    }

    [Test]
    public void The_report_is_one_page_with_every_section_and_the_runs_figures()
    {
        var html = SchedCommand.Temp("hello.html", "");
        var (exit, output, error) = SchedCommand.Run("report", SchedCommand.Example("hello.sched"), "-o", html);
        Assert.That(exit, Is.EqualTo(0), output + error);
        var page = File.ReadAllText(html);
        foreach (var id in new[] { "summary", "gantt", "roofline", "memory", "utilisation", "contracts", "notes", "verification" })
            Assert.That(page, Does.Contain($"id=\"{id}\""), id);
        // Self-contained: echarts is inlined and nothing is fetched (no src= or href= to anywhere).
        Assert.That(page, Does.Contain("echarts"));
        Assert.That(Regex.IsMatch(page, @"(src|href)\s*=\s*[""']?https?:"), Is.False);
        var json = Regex.Match(page, @"const data = (\{.*?\});\n", RegexOptions.Singleline).Groups[1].Value;
        using var data = JsonDocument.Parse(json);
        var root = data.RootElement;
        Assert.That(root.GetProperty("cycles").GetInt64(), Is.EqualTo(94));
        Assert.That(root.GetProperty("bound").GetInt64(), Is.EqualTo(94));
        // Four instructions on three tracks: mxu (the matmul), sbuf->mxu (two loads), mxu->sbuf (the store).
        Assert.That(root.GetProperty("tracks").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "mxu", "sbuf->mxu",
            "mxu->sbuf" }));
        Assert.That(root.GetProperty("bars").GetArrayLength(), Is.EqualTo(4));
        Assert.That(root.GetProperty("contracts")[0].GetProperty("holds").GetBoolean(), Is.True);
        // The matmul: 2 × 64 × 64 = 8,192 FLOP over the 4,160 B it loads and the 64 B it stores.
        var op = root.GetProperty("roofline").GetProperty("points")[0];
        Assert.That(op.GetProperty("intensity").GetDouble(), Is.EqualTo(8192.0 / 4224).Within(1e-9));
    }

    [Test]
    public void A_report_or_table_that_cannot_be_written_is_a_diagnostic_at_its_path()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"sched-no-such-dir-{Guid.NewGuid():N}");
        var (exit, _, error) = SchedCommand.Run("report", SchedCommand.Example("hello.sched"), "-o", Path.Combine(missing, "r.html"));
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.StartWith(Path.Combine(missing, "r.html") + ": error SCH0004: cannot write the report: "));
        (exit, _, error) = SchedCommand.Run("sweep", SchedCommand.Example("hello.sched"), "--set", "n=64", "--csv",
            Path.Combine(missing, "s.csv"));
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("s.csv: error SCH0004: cannot write the table: "));
    }

    [Test]
    public void Run_writes_the_same_report_with_html()
    {
        var html = SchedCommand.Temp("run.html", "");
        var (exit, _, _) = SchedCommand.Run("run", SchedCommand.Example("hello.sched"), "--html", html);
        Assert.That(exit, Is.EqualTo(0));
        Assert.That(File.ReadAllText(html), Does.Contain("\"cycles\":94"));
    }
}

/// <summary>Reports of hundreds of chips summarise each section; --full lists every line.</summary>
[NonParallelizable]
public class LargeMachineReportTests
{
    [Test]
    public void Thirty_two_chips_are_summarised_with_a_histogram_and_the_busiest_and_idlest()
    {
        // examples/multichip.sched on 32 LPUs instead of 4: its 48 layers still fill the first four, the other 28 stay idle.
        var text = File.ReadAllText(SchedCommand.Example("multichip.sched")).Replace("chip lpu[4] : groq.lpu;", "chip lpu[32] : groq.lpu;");
        Assert.That(text, Does.Contain("lpu[32]"));
        var path = SchedCommand.Temp("rack32.sched", text);
        var (exit, output, error) = SchedCommand.Run("run", path);
        Assert.That(exit, Is.EqualTo(0), output + error);
        Assert.That(output, Does.Contain("units: 32 (sched run --full lists each); utilisation:"));
        Assert.That(output, Does.Contain("0-10%: 32  10-20%: 0"), "every LPU's matrix unit is under 10% busy");
        Assert.That(output, Does.Contain("busiest lpu[0].mxm").And.Contain("idlest  lpu[9].mxm"));
        Assert.That(output.Split('\n').Count(l => l.StartsWith("  lpu[") && l.Contains(".mxm ") && l.Contains("busy")), Is.EqualTo(0));
        var (_, fullOutput, _) = SchedCommand.Run("run", path, "--full");
        var unitLines = fullOutput.Split('\n')
            .Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^  lpu\[\d+\]\.mxm +busy")).ToList();
        Assert.That(unitLines, Has.Count.EqualTo(32));
    }
}
