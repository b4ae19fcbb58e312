using System.Text.Json;
using System.Xml.Linq;

namespace Sched.EndToEnd.Tests;

/// <summary>What CI systems read: SARIF 2.1.0, JUnit XML, GitHub annotations, and stored schedules.</summary>
[NonParallelizable]
public class CiFormatTests
{
    private static string Root => SchedCommand.Root;
    private static string Example(string name) => SchedCommand.Example(name);
    private static (int Exit, string Out, string Err) Sched(params string[] args) => SchedCommand.Run(args);

    private static string Temp(string name, string text) => SchedCommand.Temp(name, text);

    [Test]
    public void Sarif_has_version_runs_rules_and_results_with_locations()
    {
        var (exit, output, _) = Sched("verify", Example("hello.sched"), "--set", "n=128", "--format", "sarif");
        Assert.That(exit, Is.EqualTo(1));
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("version").GetString(), Is.EqualTo("2.1.0"));
        var run = root.GetProperty("runs")[0];
        Assert.That(run.GetProperty("tool").GetProperty("driver").GetProperty("name").GetString(), Is.EqualTo("sched"));
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
            .Select(r => r.GetProperty("id").GetString()).ToList();
        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.That(results, Has.Count.EqualTo(2));
        foreach (var r in results)
        {
            Assert.That(rules, Does.Contain(r.GetProperty("ruleId").GetString()));
            Assert.That(r.GetProperty("ruleId").GetString(), Is.EqualTo("SCH3006"));
            var location = r.GetProperty("locations")[0].GetProperty("physicalLocation");
            Assert.That(location.GetProperty("artifactLocation").GetProperty("uri").GetString(), Does.EndWith("examples/hello.sched"));
            Assert.That(location.GetProperty("region").GetProperty("startLine").GetInt32(), Is.AnyOf(29, 30));
            Assert.That(location.GetProperty("region").GetProperty("startColumn").GetInt32(), Is.EqualTo(5));
        }
    }

    [Test]
    public void Sarif_carries_input_diagnostics_with_their_region()
    {
        var path = Temp("bad.sched", "target T { clock 1 GHz; sram s { capacity = 3 GHz; } }\nprogram P on T { }\n");
        var (exit, output, _) = Sched("verify", path, "--format", "sarif");
        Assert.That(exit, Is.EqualTo(2));
        var result = JsonDocument.Parse(output).RootElement.GetProperty("runs")[0].GetProperty("results")[0];
        Assert.That(result.GetProperty("ruleId").GetString(), Is.EqualTo("SCH1004"));
        var region = result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region");
        Assert.That((region.GetProperty("startLine").GetInt32(), region.GetProperty("startColumn").GetInt32()), Is.EqualTo((1, 45)));
    }

    [Test]
    public void Junit_has_one_case_per_file_and_contract_and_marks_failures()
    {
        var (exit, output, _) = Sched("verify", Example("hello.sched"), Example("mlp.sched"), "--set", "n=128", "--format", "junit");
        // mlp has no parameter n, so it is an input error: exit 2 outranks hello's contract failure.
        Assert.That(exit, Is.EqualTo(2));
        var suite = XDocument.Parse(output).Root!.Element("testsuite")!;
        var cases = suite.Elements("testcase").ToList();
        Assert.That(cases.Select(c => (string)c.Attribute("classname")! + "|" + (string)c.Attribute("name")!), Is.EqualTo(new[]
        {
            Example("hello.sched") + "|verify", Example("hello.sched") + "|assert cycles == 94",
            Example("hello.sched") + "|assert time <= 100 ns",
            Example("mlp.sched") + "|verify",
        }));
        Assert.That((int)suite.Attribute("tests")!, Is.EqualTo(4));
        Assert.That((int)suite.Attribute("failures")!, Is.EqualTo(4));
        Assert.That((string)cases[1].Element("failure")!.Attribute("message")!, Does.StartWith("measured 335, promised 94 (line 29)"));
        Assert.That((string)cases[3].Element("failure")!.Attribute("message")!, Does.Contain("SCH1018"));
    }

    [Test]
    public void Github_prints_workflow_annotations()
    {
        var (_, output, _) = Sched("verify", Example("hello.sched"), "--set", "n=128", "--format", "github");
        Assert.That(output, Does.Contain($"::error file={Example("hello.sched").Replace(":", "%3A")},line=29,col=5,title=SCH3006::"
            + "SCH3006: cycle 335, contract: assert cycles == 94 does not hold"));
    }

    [Test]
    public void Globs_expand_to_every_matching_example()
    {
        // A pattern that matches a few (every example is verified by Verify_passes_on_every_example; the largest take a minute).
        var (exit, output, _) = Sched("verify", Path.Combine(Root, "examples", "*h100*.sched"), "--format", "json");
        Assert.That(exit, Is.EqualTo(0));
        var files = JsonDocument.Parse(output).RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.That(files.Count, Is.EqualTo(Directory.GetFiles(Path.Combine(Root, "examples"), "*h100*.sched").Length).And.GreaterThan(1));
        Assert.That(files.All(f => f.GetProperty("status").GetString() == "verified"));
    }

    [Test]
    public void A_stored_schedule_fails_when_the_target_halves_a_links_bandwidth()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"sched-store-{Guid.NewGuid():N}");
        var stored = Path.Combine(dir, "hello.schedule");
        Directory.CreateDirectory(dir);
        var (built, _, err) = Sched("build", Example("hello.sched"), "-o", dir, "--emit-schedule", stored);
        Assert.That(built, Is.EqualTo(0), err);
        var text = File.ReadAllText(stored);
        Assert.That(text, Does.StartWith("sched-schedule 1\n"));
        Assert.That(text, Does.Contain("0 load unit=mxu link=sbuf->mxu reads=1 writes=1 bytes=4096"));

        // Unchanged, the stored schedule verifies without rescheduling, with the same hash as a fresh run.
        var (same, sameOut, _) = Sched("verify", Example("hello.sched"), "--schedule", stored);
        var (_, freshOut, _) = Sched("verify", Example("hello.sched"));
        Assert.That(same, Is.EqualTo(0), sameOut);
        Assert.That(sameOut, Is.EqualTo(freshOut));

        var slower = Path.Combine(dir, "hello.sched");
        File.WriteAllText(slower, File.ReadAllText(Example("hello.sched")).Replace("bandwidth = 64 GB/s", "bandwidth = 32 GB/s"));
        var (exit, output, _) = Sched("verify", slower, "--schedule", stored);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Does.Contain(
            "hello.sched(27,13): error SCH3002: cycle 64, sbuf->mxu: load of x.0 (64 B) needs a lane, but all 1 are busy until cycle 128"));
        Assert.That(output, Does.Contain("error SCH3003: cycle 68, mxu: matmul reads w.0 before it arrives (cycle 131)"));
    }

    [Test]
    public void A_damaged_stored_schedule_is_an_input_error_naming_the_line()
    {
        var stored = Temp("x.schedule", "sched-schedule 1\nprogram Hello\n12 frobnicate unit=mxu\n");
        var (exit, output, _) = Sched("verify", Example("hello.sched"), "--schedule", stored);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output, Does.Contain("SCH2006").And.Contain("line 3"));
    }

    [Test]
    public void Github_annotations_escape_a_file_name_with_a_newline()
    {
        var path = Temp("a\n::stop-commands::x.sched", File.ReadAllText(Example("hello.sched")));
        var (_, output, _) = Sched("verify", path, "--format", "github");
        Assert.That(output.Split('\n').Where(l => l.StartsWith("::stop-commands::")), Is.Empty, output);
        Assert.That(output, Does.Contain("a%0A::stop-commands::x.sched: verified"));
    }

    [Test]
    public void Sarif_uris_are_encoded_and_the_tool_has_a_version()
    {
        var path = Temp("with space#1.sched", "target T { clock 1 GHz; sram s { capacity = 3 GHz; } }\nprogram P on T { }\n");
        var (_, output, _) = Sched("verify", path, "--format", "sarif");
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        var run = doc.RootElement.GetProperty("runs")[0];
        Assert.That(run.GetProperty("tool").GetProperty("driver").GetProperty("version").GetString(), Does.Match(@"^\d+\.\d+\.\d+$"));
        var uri = run.GetProperty("results")[0].GetProperty("locations")[0].GetProperty("physicalLocation")
            .GetProperty("artifactLocation").GetProperty("uri").GetString()!;
        Assert.That(uri, Does.EndWith("with%20space%231.sched"));
        Assert.That(Uri.IsWellFormedUriString(uri, UriKind.RelativeOrAbsolute), Is.True, uri);
    }

    [Test]
    public void A_missing_input_is_a_failing_junit_case_and_a_sarif_result()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"sched-missing-{Guid.NewGuid():N}.sched");
        var (exit, junit, _) = Sched("verify", missing, "--format", "junit");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(System.Xml.Linq.XDocument.Parse(junit).Descendants("failure").Single().Attribute("message")!.Value,
            Does.Contain("SCH0004"));
        var (_, sarif, _) = Sched("verify", missing, "--format", "sarif");
        using var doc = System.Text.Json.JsonDocument.Parse(sarif);
        Assert.That(doc.RootElement.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("ruleId").GetString(),
            Is.EqualTo("SCH0004"));
    }

    [Test]
    public void Junit_survives_a_control_character_in_a_file_name()
    {
        var path = Temp("bell\u0007.sched", File.ReadAllText(Example("hello.sched")));
        var (exit, junit, err) = Sched("verify", path, "--format", "junit");
        Assert.That(exit, Is.EqualTo(0), err);
        Assert.That(System.Xml.Linq.XDocument.Parse(junit).Descendants("testcase").First().Attribute("classname")!.Value,
            Does.Contain("bell\\u0007"));
    }

    [Test]
    public void Edited_stored_schedules_are_never_wrongly_accepted_and_never_crash()
    {
        var (exit, output, err) = Sched("bench", "stored", Example("hello.sched"), Example("mlp.sched"), "--cases", "400", "--seed", "3");
        Assert.That(exit, Is.EqualTo(0), output + err);
        Assert.That(output, Does.Contain("wrongly accepted: 0  crashes: 0  hangs: 0"));
    }

    [Test]
    public void Fault_injection_edits_stored_files_too_and_misses_none()
    {
        var (exit, output, err) = Sched("bench", "faults", Example("hello.sched"), Example("mlp.sched"), "--mutations", "300",
            "--seed", "3");
        Assert.That(exit, Is.EqualTo(0), output + err);
        Assert.That(output, Does.Contain("stored: ").And.Contain("missed: 0"));
    }
}
