using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sched.Runtime.Execution;
using Sched.Runtime.Operations;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;
using Sched.Runtime.Verification;

namespace Sched.Runtime.Reporting;

/// <summary>
/// A schedule as Chrome trace-event JSON, which the Perfetto UI and chrome://tracing open: chips are processes; every unit,
/// link lane and memory resource (bank, die, channel, vault, port) is a track; every instruction is an event named by its
/// operation and source line, with its tile, bytes and cycle; counters show each memory's live bytes and each link's bytes
/// a cycle; violations are instant events. Above <see cref="MaxEvents"/> events, each track's events closer than a bucket
/// of cycles are merged into one, and the trace says so in otherData.
/// </summary>
public static partial class Trace
{
    public const int MaxEvents = 200_000;

    private sealed record Span(int Track, long Start, long End, string Name, Instruction? Ins);

    public static string Write(Machine machine, Schedule schedule, IReadOnlyList<Violation> violations, string hash,
        int maxEvents = MaxEvents)
    {
        var tracks = Tracks(machine);
        var spans = Spans(machine, schedule, tracks);
        var aggregated = spans.Count > maxEvents;
        if (aggregated) spans = Aggregate(spans, schedule);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteString("displayTimeUnit", "ns");
            w.WriteStartArray("traceEvents");
            foreach (var (track, i) in tracks.Select((t, i) => (t, i))) Metadata(w, track, i, first: tracks.FindIndex(t =>
                t.Pid == track.Pid) == i);
            foreach (var span in spans) Complete(w, machine, schedule, tracks[span.Track], span);
            Counters(w, machine, schedule, tracks);
            foreach (var v in violations) Instant(w, machine, v);
            w.WriteEndArray();
            w.WriteStartObject("otherData");
            w.WriteString("program", schedule.Program);
            w.WriteString("schedule", hash);
            w.WriteString("clock", $"{machine.ClockHz.ToString(CultureInfo.InvariantCulture)} Hz");
            w.WriteBoolean("aggregated", aggregated);
            w.WriteNumber("instructions", schedule.Instructions.Count);
            if (aggregated) w.WriteString("note", $"more than {maxEvents} events: each track's events closer than a bucket are merged");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>One track a resource: each unit, each lane of each link, each memory's banks, dies, channels, vaults or port.</summary>
    private sealed record TrackInfo(string Process, int Pid, string Name, int Resource, int Lane);

    private static List<TrackInfo> Tracks(Machine machine)
    {
        var pids = new Dictionary<string, int>();
        TrackInfo Make(string name, int resource, int lane)
        {
            var process = Chip().Match(name) is { Success: true } m ? m.Groups[1].Value : "machine";
            var pid = pids.TryGetValue(process, out var p) ? p : pids[process] = pids.Count + 1;
            return new TrackInfo(process, pid, name, resource, lane);
        }
        var tracks = new List<TrackInfo>();
        for (var r = 0; r < machine.Resources.Count; r++)
        {
            var resource = machine.Resources[r];
            for (var lane = 0; lane < resource.Lanes; lane++)
                tracks.Add(Make(resource.Lanes > 1 ? $"{resource.Name} lane {lane}" : resource.Name, r, lane));
        }
        return tracks;
    }

    /// <summary>Each instruction on the tracks of the resources it holds; a transfer takes the first lane free at its cycle.</summary>
    private static List<Span> Spans(Machine machine, Schedule schedule, List<TrackInfo> tracks)
    {
        var first = new Dictionary<int, int>();
        for (var t = tracks.Count - 1; t >= 0; t--) first[tracks[t].Resource] = t;
        var laneFree = new long[tracks.Count];
        var spans = new List<Span>();
        foreach (var ins in Timeline.InCycleOrder(schedule.Instructions))
        {
            if (machine.StepOf(ins, schedule.Tiles) is not { } step) continue;
            foreach (var (r, _) in machine.Holds(ins, step, schedule.Tiles))
            {
                var track = first[r];
                for (var lane = 0; lane < machine.Resources[r].Lanes; lane++)
                    if (laneFree[first[r] + lane] <= ins.Cycle) { track = first[r] + lane; break; }
                laneFree[track] = ins.Cycle + step.Duration;
                spans.Add(new Span(track, ins.Cycle, ins.Cycle + step.Duration, Name(ins), ins));
            }
        }
        return spans;
    }

    private static string Name(Instruction ins) => $"{ins.Op.Mnemonic()} (line {ins.Source.Line})";

    /// <summary>Merges each track's spans that are closer than a bucket of cycles: about 20,000 buckets over the schedule.</summary>
    private static List<Span> Aggregate(List<Span> spans, Schedule schedule)
    {
        var makespan = spans.Max(s => s.End);
        var bucket = Math.Max(1, makespan / 20_000);
        var merged = new List<Span>();
        foreach (var track in spans.GroupBy(s => s.Track))
        {
            Span? current = null;
            var count = 0;
            foreach (var s in track.OrderBy(s => s.Start))
            {
                if (current is not null && s.Start - current.End <= bucket) { current = current with { End = Math.Max(current.End,
                    s.End) }; count++; continue; }
                if (current is not null) merged.Add(current with { Name = $"busy ({count} events)", Ins = null });
                (current, count) = (s, 1);
            }
            if (current is not null) merged.Add(current with { Name = $"busy ({count} events)", Ins = null });
        }
        return merged;
    }

    private static double Microseconds(Machine machine, long cycles) => cycles / machine.ClockHz * 1e6;

    private static void Metadata(Utf8JsonWriter w, TrackInfo track, int tid, bool first)
    {
        if (first) ProcessName(w, track);
        w.WriteStartObject();
        w.WriteString("ph", "M");
        w.WriteString("name", "thread_name");
        w.WriteNumber("pid", track.Pid);
        w.WriteNumber("tid", tid);
        w.WriteStartObject("args");
        w.WriteString("name", track.Name);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void ProcessName(Utf8JsonWriter w, TrackInfo track)
    {
        w.WriteStartObject();
        w.WriteString("ph", "M");
        w.WriteString("name", "process_name");
        w.WriteNumber("pid", track.Pid);
        w.WriteStartObject("args");
        w.WriteString("name", track.Process);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Complete(Utf8JsonWriter w, Machine machine, Schedule schedule, TrackInfo track, Span s)
    {
        w.WriteStartObject();
        w.WriteString("ph", "X");
        w.WriteString("name", s.Name);
        w.WriteString("cat", s.Ins is { } i ? (i.Op.IsCompute() ? "compute" : "transfer") : "aggregate");
        w.WriteNumber("pid", track.Pid);
        w.WriteNumber("tid", s.Track);
        w.WriteNumber("ts", Microseconds(machine, s.Start));
        w.WriteNumber("dur", Microseconds(machine, s.End - s.Start));
        if (s.Ins is { } ins)
        {
            w.WriteStartObject("args");
            w.WriteString("tile", ins.Result >= 0
                && ins.Result < schedule.Tiles.Count ? schedule.Tiles[ins.Result].Name : $"#{ins.Result}");
            w.WriteNumber("bytes", ins.Bytes);
            w.WriteNumber("line", ins.Source.Line);
            w.WriteNumber("cycle", ins.Cycle);
            w.WriteNumber("cycles", s.End - s.Start);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>
    /// Each memory's live bytes (a tile lives from its first store, or 0 if resident, to its last read) and each link's bytes a cycle.
    /// </summary>
    private static void Counters(Utf8JsonWriter w, Machine machine, Schedule schedule, List<TrackInfo> tracks)
    {
        var (memory, link) = Deltas(machine, schedule);
        Series(w, machine, memory, "live bytes", "bytes");
        Series(w, machine, link, "bytes a cycle", "B/cycle");
    }

    /// <summary>Changes of each memory's live bytes and each link's bytes a cycle, by name and cycle.</summary>
    private static (SortedDictionary<(string Name, long Cycle), double> Memory, SortedDictionary<(string Name, long Cycle), double> Link)
        Deltas(Machine machine, Schedule schedule)
    {
        var memory = new SortedDictionary<(string Name, long Cycle), double>();
        var link = new SortedDictionary<(string Name, long Cycle), double>();
        var (born, died) = (new Dictionary<int, long>(), new Dictionary<int, long>());
        var end = 0L;
        foreach (var ins in schedule.Instructions)
        {
            if (machine.StepOf(ins, schedule.Tiles) is not { } step) continue;
            end = Math.Max(end, ins.Cycle + step.Duration + step.After);
            if (!ins.Op.IsTransfer()) continue;
            var name = machine.Links[ins.Link].Name;
            Add(link, (name, ins.Cycle), (double)ins.Bytes / step.Duration);
            Add(link, (name, ins.Cycle + step.Duration), -(double)ins.Bytes / step.Duration);
            var held = schedule.Tiles[ins.Result].Storage;   // rows of a tile (a view) keep or make their parent
            if (ins.Op == Opcode.Store) born[held] = Math.Min(born.GetValueOrDefault(held, long.MaxValue), ins.Cycle);
            else died[held] = Math.Max(died.GetValueOrDefault(held), ins.Cycle + step.Duration);
        }
        var outputs = schedule.Outputs.SelectMany(o => o.Tiles).ToHashSet();
        foreach (var tile in schedule.Tiles)
        {
            var from = tile.Resident ? 0 : born.GetValueOrDefault(tile.Id, -1);
            if (from < 0) continue;
            var to = tile.Resident || outputs.Contains(tile.Id) ? end : Math.Max(died.GetValueOrDefault(tile.Id), from + 1);
            Add(memory, (tile.Memory, from), tile.Bytes);
            Add(memory, (tile.Memory, to), -tile.Bytes);
        }
        return (memory, link);
    }

    private static void Add(SortedDictionary<(string, long), double> series, (string, long) key, double delta) =>
        series[key] = series.GetValueOrDefault(key) + delta;

    private static void Series(Utf8JsonWriter w, Machine machine, SortedDictionary<(string Name, long Cycle), double> deltas, string what,
        string unit)
    {
        foreach (var group in deltas.GroupBy(d => d.Key.Name))
        {
            var value = 0.0;
            foreach (var ((name, cycle), delta) in group)
            {
                value += delta;
                w.WriteStartObject();
                w.WriteString("ph", "C");
                w.WriteString("name", $"{name} {what}");
                w.WriteNumber("pid", 1);
                w.WriteNumber("ts", Microseconds(machine, cycle));
                w.WriteStartObject("args");
                w.WriteNumber(unit, Math.Round(Math.Max(0, value), 3));
                w.WriteEndObject();
                w.WriteEndObject();
            }
        }
    }

    private static void Instant(Utf8JsonWriter w, Machine machine, Violation v)
    {
        w.WriteStartObject();
        w.WriteString("ph", "i");
        w.WriteString("s", "g");
        w.WriteString("name", $"{v.Kind.Code()} {v.Where}");
        w.WriteNumber("pid", 1);
        w.WriteNumber("tid", 0);
        w.WriteNumber("ts", Microseconds(machine, v.Cycle));
        w.WriteStartObject("args");
        w.WriteString("message", v.Message);
        w.WriteNumber("line", v.Source.Line);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    [GeneratedRegex(@"^(\w+\[\d+\])\.")]
    private static partial Regex Chip();
}
