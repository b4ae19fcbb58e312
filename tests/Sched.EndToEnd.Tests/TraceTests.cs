using System.Text.Json;

namespace Sched.EndToEnd.Tests;

/// <summary>`--trace` writes Chrome trace-event JSON; on hello every event can be counted by hand.</summary>
[NonParallelizable]
public class TraceTests
{
    private static JsonElement[] Events(string path, params string[] args)
    {
        var trace = Path.Combine(Path.GetTempPath(), $"sched-trace-{Guid.NewGuid():N}.json");
        var (exit, _, err) = SchedCommand.Run(["run", SchedCommand.Example(path), "--trace", trace, .. args]);
        Assert.That(exit, Is.EqualTo(0), err);
        using var doc = JsonDocument.Parse(File.ReadAllText(trace));
        return doc.RootElement.GetProperty("traceEvents").EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    [Test]
    public void Hello_has_one_track_per_resource_four_events_and_its_counters_in_microseconds()
    {
        var events = Events("hello.sched");
        // Tracks: the unit mxu and the links sbuf->mxu and mxu->sbuf (one lane each): one process, three threads.
        Assert.That(events.Where(e => e.GetProperty("ph").GetString() == "M").Select(e
            => e.GetProperty("args").GetProperty("name").GetString()),
            Is.EqualTo(new[] { "machine", "mxu", "sbuf->mxu", "mxu->sbuf" }));
        // Four instructions: load w.0 (4096 B, 64 cycles at 64 B a cycle = 0.064 µs), load x.0, the matmul, the store.
        var complete = events.Where(e => e.GetProperty("ph").GetString() == "X").ToArray();
        Assert.That(complete.Select(e => (e.GetProperty("name").GetString(), e.GetProperty("ts").GetDouble(),
            e.GetProperty("dur").GetDouble())),
            Is.EqualTo(new[] { ("load (line 27)", 0.0, 0.064), ("load (line 27)", 0.064, 0.001), ("matmul (line 27)", 0.068, 0.016),
                ("store (line 27)", 0.088, 0.001) }));
        Assert.That(complete[0].GetProperty("args").GetProperty("tile").GetString(), Is.EqualTo("w.0"));
        Assert.That(complete[0].GetProperty("args").GetProperty("bytes").GetInt64(), Is.EqualTo(4096));
        Assert.That(complete.All(e => e.TryGetProperty("pid", out _) && e.TryGetProperty("tid", out _) && e.TryGetProperty("cat", out _)));
        // Counters: sbuf's live bytes change at 0, at the store and at the end; the two links' rates at each transfer's ends.
        var counters = events.Where(e => e.GetProperty("ph").GetString() == "C").Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.That(counters.Count(n => n == "sbuf live bytes"), Is.EqualTo(3));
        Assert.That(counters.Count(n => n == "sbuf->mxu bytes a cycle"), Is.EqualTo(3));
        Assert.That(counters.Count(n => n == "mxu->sbuf bytes a cycle"), Is.EqualTo(2));
    }

    [Test]
    public void Chips_are_processes_and_banks_are_tracks()
    {
        var multichip = Events("multichip.sched", "--functional", "off");
        var processes = multichip.Where(e => e.GetProperty("name").GetString() == "process_name")
            .Select(e => e.GetProperty("args").GetProperty("name").GetString()).ToList();
        Assert.That(processes, Is.SupersetOf(new[] { "lpu[0]", "lpu[1]", "lpu[2]", "lpu[3]" }));
        var mlp = Events("mlp.sched");
        var threads = mlp.Where(e => e.GetProperty("name").GetString() == "thread_name").Select(e
            => e.GetProperty("args").GetProperty("name").GetString());
        Assert.That(threads, Does.Contain("sbuf.bank[0]").And.Contain("sbuf.bank[7]"));
    }

    [Test]
    public void Above_the_limit_events_are_merged_and_the_trace_says_so()
    {
        var compiled = Compiler.Compilation.Compile(Language.Text.SourceText.From(File.ReadAllText(SchedCommand.Example("mlp.sched")),
            "mlp.sched"));
        var machine = compiled.Program!.Target.Machine;
        var json = Runtime.Reporting.Trace.Write(machine, compiled.Schedule!, [], "h", maxEvents: 10);
        using var doc = JsonDocument.Parse(json);
        Assert.That(doc.RootElement.GetProperty("otherData").GetProperty("aggregated").GetBoolean(), Is.True);
        var merged = doc.RootElement.GetProperty("traceEvents").EnumerateArray().Where(e
            => e.GetProperty("ph").GetString() == "X").ToList();
        using var whole = JsonDocument.Parse(Runtime.Reporting.Trace.Write(machine, compiled.Schedule!, [], "h"));
        var spans = whole.RootElement.GetProperty("traceEvents").EnumerateArray().Count(e => e.GetProperty("ph").GetString() == "X");
        Assert.That(merged.Count, Is.LessThan(spans));
        Assert.That(merged.All(e => e.GetProperty("name").GetString()!.StartsWith("busy (")));
    }
}
