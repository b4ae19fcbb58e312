using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Sched.Runtime.Reporting;
using Sched.Runtime.Targets;
using Sched.Runtime.Targets.Kinds;
using Sched.Runtime.Targets.Library;

namespace Sched.Cli.Commands;

/// <summary><c>sched targets [NAME] [--json]</c>: the target library with derived figures and the source of each figure.</summary>
internal static class TargetsCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name") { Description = "a preset, e.g. nvidia.h100 (default: all)",
            Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "print the figures as JSON" };
        var kinds = new Option<bool>("--kinds") { Description = "list the component kinds a target can declare, with their properties" };
        var command = new Command("targets", "List the target library: capacity, bandwidth, latency, drain time and peak of each preset")
            { name, json, kinds };
        command.SetAction(result =>
        {
            if (result.GetValue(kinds))
            {
                Console.Out.Write(KindsTable());
                return ExitCodes.Ok;
            }
            var wanted = result.GetValue(name);
            var presets = wanted is null ? Catalogue.All : Catalogue.Find(wanted) is { } p ? [p] : [];
            if (presets.Count == 0)
            {
                Console.Error.WriteLine($"sched: error SCH1010: unknown target '{wanted}'; the library has "
                    + string.Join(", ", Catalogue.All.Select(x => x.Name)));
                return ExitCodes.InputDiagnostics;
            }
            Console.Out.Write(result.GetValue(json) ? Json(presets) : Table(presets));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Every kind's properties, read from the kinds themselves: what a target may declare.</summary>
    private static string KindsTable()
    {
        var s = new StringBuilder();
        void Kind(string keywords, IEnumerable<Property> properties)
        {
            s.AppendLine(keywords);
            foreach (var p in properties.Where(p => p.Refused is null))
            {
                var need = p.Required ? "required"
                    : p.Default is { } d ? $"default {d.ToString(CultureInfo.InvariantCulture)}" : "optional";
                var perDtype = p.PerDtype ? " (may be given per dtype: @ int8)" : "";
                s.AppendLine($"  {p.Name,-10} {p.Unit,-15} {need,-12} {p.Meaning}{perDtype}");
            }
        }
        foreach (var kind in MemoryKinds.All) Kind(string.Join(" | ", kind.Keywords), kind.Properties);
        Kind(string.Join(" | ", ComputeUnit.Keywords.Keys), ComputeUnit.Properties);
        Kind("link", Link.Properties);
        return s.ToString();
    }

    private static string Table(IReadOnlyList<Preset> presets)
    {
        var s = new StringBuilder();
        foreach (var p in presets)
        {
            s.AppendLine($"{p.Name}: {p.Summary}");
            s.AppendLine($"  {"tier",-8} {"kind",-6} {"capacity",12} {"bandwidth",14} {"latency",10} {"drain",12}");
            foreach (var t in p.Tiers)
            {
                var bandwidth = t.Bandwidth > 0 ? Quantity.Bytes(t.Bandwidth) + "/s" : "-";
                var latency = t.LatencySeconds > 0 ? Quantity.Seconds(t.LatencySeconds) : "-";
                var drain = t.DrainSeconds > 0 ? Drain(t.DrainSeconds) : "-";
                s.AppendLine($"  {t.Name,-8} {t.Kind,-6} {Quantity.Bytes(t.Capacity),12} {bandwidth,14} {latency,10} {drain,12}");
            }
            if (p.PeakFlops > 0) s.AppendLine($"  peak compute: {Quantity.Scaled(p.PeakFlops, "FLOP/s")}");
            foreach (var (figure, value) in p.Derived ?? []) s.AppendLine($"  {figure}: {value}");
            foreach (var memory in p.Machine?.Memories ?? [])
                foreach (var (figure, value) in memory.Figures) s.AppendLine($"  {memory.Name} ({memory.Kind}) {figure}: {value}");
            s.AppendLine(p.Machine is null ? $"  programs: not yet ({p.NotSchedulable})"
                : $"  programs: program P on {p.Name} {{ … }}  (tile {p.TileWidth})");
            foreach (var source in p.Sources) s.AppendLine($"  source: {source.Figure}: {source.Value} — {source.Reference}");
            foreach (var assumption in p.Assumptions) s.AppendLine($"  assumed: {assumption}");
            foreach (var o in p.Overheads) s.AppendLine($"  overhead: {o.Name}: {o.Value} — {o.Source}");
            s.AppendLine();
        }
        return s.ToString();
    }

    private static string Drain(double seconds) => seconds switch
    {
        >= 3600 => (seconds / 3600).ToString("0.#", CultureInfo.InvariantCulture) + " h",
        >= 60 => (seconds / 60).ToString("0.#", CultureInfo.InvariantCulture) + " min",
        _ => Quantity.Seconds(seconds),
    };

    private static string Json(IReadOnlyList<Preset> presets)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var p in presets)
            {
                w.WriteStartObject();
                w.WriteString("name", p.Name);
                w.WriteString("summary", p.Summary);
                w.WriteNumber("peakFlops", p.PeakFlops);
                w.WriteBoolean("schedulable", p.Machine is not null);
                w.WriteStartArray("tiers");
                foreach (var t in p.Tiers)
                {
                    w.WriteStartObject();
                    w.WriteString("name", t.Name);
                    w.WriteString("kind", t.Kind);
                    w.WriteNumber("capacityBytes", t.Capacity);
                    w.WriteNumber("bandwidthBytesPerSecond", t.Bandwidth);
                    w.WriteNumber("latencySeconds", t.LatencySeconds);
                    w.WriteNumber("drainSeconds", t.DrainSeconds);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartArray("sources");
                foreach (var src in p.Sources)
                {
                    w.WriteStartObject();
                    w.WriteString("figure", src.Figure);
                    w.WriteString("value", src.Value);
                    w.WriteString("source", src.Reference);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartArray("assumptions");
                foreach (var a in p.Assumptions) w.WriteStringValue(a);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
