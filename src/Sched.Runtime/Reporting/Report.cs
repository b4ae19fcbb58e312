using System.Globalization;
using System.Text;
using Sched.Runtime.Execution;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;
using Sched.Runtime.Verification;

namespace Sched.Runtime.Reporting;

/// <summary>The human report of one run: time, bound, utilisation, traffic, contracts and verification.</summary>
public static class Report
{
    /// <summary>
    /// Above this many units, links or memories (hundreds of chips) a section is summarised unless the full one is asked for.
    /// </summary>
    public const int MaxListed = 24;

    /// <param name="full">list every unit, link and memory however many (sched run --full)</param>
    /// <param name="tokens">tokens a run makes (rows of the first output, times the repeat count): the header's tokens/s</param>
    public static string Render(Machine machine, Schedule schedule, Replay replay, IReadOnlyList<Violation> violations,
        IReadOnlyList<ContractResult> contracts, string functional, string hash, bool full = false, double tokens = 0)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(inv,
            $"program {schedule.Program} on {machine.Name} ({schedule.SourceFile}): {schedule.Instructions.Count} instructions, " +
            $"{schedule.Tiles.Count} tiles");
        s.AppendLine(inv, $"schedule: {hash}");
        foreach (var note in schedule.Notes) s.AppendLine(inv, $"  note: {note}");
        var perSecond = tokens > 0 && replay.Cycles > 0 ? tokens / machine.Seconds(replay.Cycles) : 0;
        var rate = perSecond > 0 ? $"  tokens/s: {perSecond.ToString(perSecond < 1e4 ? "0.#" : "N0", inv)}" : "";
        var time = Quantity.Seconds(machine.Seconds(replay.Cycles));
        s.AppendLine(inv, $"cycles: {replay.Cycles}  time: {time} at {Quantity.Hertz(machine.ClockHz)}{rate}");
        var ratio = schedule.Bound > 0 ? (double)replay.Cycles / schedule.Bound : 1;
        s.AppendLine(inv, $"bound: {schedule.Bound} cycles ({schedule.BoundKind})  makespan/bound: {ratio:F3}");
        var units = Enumerable.Range(0, machine.Units.Count).Select(u => (Name: machine.Units[u].Name,
            Line: (Func<string>)(() =>
                Inv($"busy {replay.UnitBusy[u],10} cycles  utilisation {Percent(replay.UnitBusy[u], replay.Cycles)}")),
            Share: Share(replay.UnitBusy[u], replay.Cycles))).ToList();
        Section(s, "units", units, full);
        var links = Enumerable.Range(0, machine.Links.Count).Select(l => (Name: machine.Links[l].Name,
            Line: (Func<string>)(() => Inv($"{Quantity.Bytes(replay.LinkBytes[l]),12}  busy {replay.LinkBusy[l],10} cycles  ") +
                Inv($"utilisation {Percent(replay.LinkBusy[l], replay.Cycles * machine.Links[l].Lanes)}")),
            Share: Share(replay.LinkBusy[l], replay.Cycles * machine.Links[l].Lanes))).ToList();
        Section(s, "links", links, full);
        if (machine.Channels.Count > 0) Section(s, "chip-to-chip channels (every route crossing them)", Channels(machine, replay), full);
        // Tiles by memory once: a target of hundreds of chips has hundreds of memories.
        // Tiles that hold memory: inputs and weights, and what stores write (not views of them, nor states left on a unit).
        var stored = schedule.Instructions.Where(i => i.Op == Opcode.Store).Select(i => schedule.Tiles[i.Result].Storage).ToHashSet();
        var byMemory = schedule.Tiles.Where(t => t.Resident || stored.Contains(t.Id)).GroupBy(t => t.Memory)
            .ToDictionary(g => g.Key, g => (Bytes: g.Sum(t => t.Bytes),
            Top: g.Max(t => t.Address + t.Bytes)));
        var memories = Enumerable.Range(0, machine.Memories.Count).Select(m =>
        {
            var name = machine.Memories[m].Name;
            var (resident, top) = byMemory.GetValueOrDefault(name);
            var line = Inv($"read {Quantity.Bytes(replay.MemoryBytesRead[m]),10}  ")
                + Inv($"written {Quantity.Bytes(replay.MemoryBytesWritten[m]),10}")
                + Inv($"  highest address {Quantity.Bytes(top)} of {Quantity.Bytes(machine.Memories[m].Capacity)} ")
                + Inv($"({Quantity.Bytes(resident)} of tiles over time)");
            return (Name: name, Line: (Func<string>)(() => line), Share: Share(top, machine.Memories[m].Capacity));
        }).ToList();
        Section(s, "memories", memories, full);
        s.AppendLine(inv, $"functional: {functional}");
        foreach (var c in contracts) s.AppendLine(c.Line);
        s.AppendLine(violations.Count == 0
            ? $"verification: ok ({schedule.Instructions.Count} instructions checked)"
            : $"verification: FAILED, {violations.Count} violation(s)");
        foreach (var v in violations) s.AppendLine(v.Render(schedule.SourceFile));
        return s.ToString();
    }

    /// <summary>What crossed each chip-to-chip channel: the sum over the links whose routes hold it.</summary>
    private static List<(string Name, Func<string> Line, double Share)> Channels(Machine machine, Replay replay)
    {
        var (bytes, busy) = (new long[machine.Channels.Count], new long[machine.Channels.Count]);
        for (var l = 0; l < machine.Links.Count; l++)
            foreach (var c in machine.Links[l].Route)
            {
                bytes[c] += replay.LinkBytes[l];
                busy[c] += replay.LinkBusy[l];
            }
        return machine.Channels.Select((c, i) => (c.Name,
            (Func<string>)(() => Inv($"{Quantity.Bytes(bytes[i]),12}  busy {busy[i],10} cycles  ")
                + Inv($"utilisation {Percent(busy[i], replay.Cycles * c.Lanes)}")), Share(busy[i], replay.Cycles * c.Lanes))).ToList();
    }

    /// <summary>
    /// A section line by line, or, above <see cref="MaxListed"/> lines, its count, a histogram of the share (utilisation, or the
    /// fill of a memory) in tenths, and the three busiest and the three idlest.
    /// </summary>
    /// <param name="rows">each row's line is written only if it is printed (a target of hundreds of chips has millions of links)</param>
    private static void Section(StringBuilder s, string title, List<(string Name, Func<string> Line, double Share)> rows, bool full)
    {
        if (full || rows.Count <= MaxListed)
        {
            s.AppendLine(title + ":");
            foreach (var r in rows) s.AppendLine(Inv($"  {r.Name,-24} {r.Line()}"));
            return;
        }
        var what = title == "memories" ? "filled" : "utilisation";
        var buckets = new int[10];
        foreach (var r in rows) buckets[Math.Clamp((int)(r.Share * 10), 0, 9)]++;
        s.AppendLine(Inv($"{title}: {rows.Count} (sched run --full lists each); {what}:"));
        s.AppendLine("  " + string.Join("  ", buckets.Select((n, b) => Inv($"{b * 10}-{b * 10 + 10}%: {n}"))));
        var ordered = rows.OrderByDescending(r => r.Share).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        foreach (var r in ordered.Take(3)) s.AppendLine(Inv($"  busiest {r.Name,-24} {r.Line()}"));
        foreach (var r in ordered.TakeLast(3)) s.AppendLine(Inv($"  idlest  {r.Name,-24} {r.Line()}"));
    }

    private static double Share(long part, long whole) => whole > 0 ? (double)part / whole : 0;

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Percent(long busy, long total) =>
        total == 0 ? "  0.0%" : (100.0 * busy / total).ToString("F1", CultureInfo.InvariantCulture).PadLeft(5) + "%";

}
