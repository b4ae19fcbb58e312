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
    public static string Render(Machine machine, Schedule schedule, Replay replay, IReadOnlyList<Violation> violations,
        IReadOnlyList<ContractResult> contracts, string functional, string hash)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(inv,
            $"program {schedule.Program} on {machine.Name} ({schedule.SourceFile}): {schedule.Instructions.Count} instructions, " +
            $"{schedule.Tiles.Count} tiles");
        s.AppendLine(inv, $"schedule: {hash}");
        foreach (var note in schedule.Notes) s.AppendLine(inv, $"  note: {note}");
        s.AppendLine(inv,
            $"cycles: {replay.Cycles}  time: {Quantity.Seconds(machine.Seconds(replay.Cycles))} at {Quantity.Hertz(machine.ClockHz)}");
        var ratio = schedule.Bound > 0 ? (double)replay.Cycles / schedule.Bound : 1;
        s.AppendLine(inv, $"bound: {schedule.Bound} cycles ({schedule.BoundKind})  makespan/bound: {ratio:F3}");
        s.AppendLine("units:");
        for (var u = 0; u < machine.Units.Count; u++)
            s.AppendLine(inv,
                $"  {machine.Units[u].Name,-24} busy {replay.UnitBusy[u],10} cycles  " +
                $"utilisation {Percent(replay.UnitBusy[u], replay.Cycles)}");
        s.AppendLine("links:");
        for (var l = 0; l < machine.Links.Count; l++)
            s.AppendLine(inv,
                $"  {machine.Links[l].Name,-24} {Quantity.Bytes(replay.LinkBytes[l]),12}  busy {replay.LinkBusy[l],10} cycles  " +
                $"utilisation {Percent(replay.LinkBusy[l], replay.Cycles * machine.Links[l].Lanes)}");
        s.AppendLine("memories:");
        for (var m = 0; m < machine.Memories.Count; m++)
        {
            var name = machine.Memories[m].Name;
            var resident = schedule.Tiles.Where(t => t.Memory == name).Sum(t => t.Bytes);
            var top = schedule.Tiles.Where(t => t.Memory == name).Select(t => t.Address + t.Bytes).DefaultIfEmpty(0).Max();
            s.AppendLine(inv,
                $"  {name,-24} read {Quantity.Bytes(replay.MemoryBytesRead[m]),10}  written {Quantity.Bytes(replay.MemoryBytesWritten[m]),10}" +
                $"  highest address {Quantity.Bytes(top)} of {Quantity.Bytes(machine.Memories[m].Capacity)} " +
                $"({Quantity.Bytes(resident)} of tiles over time)");
        }
        s.AppendLine(inv, $"functional: {functional}");
        foreach (var c in contracts)
            s.AppendLine(inv,
                $"contract {(c.Holds ? "ok    " : "FAILED")} {c.Contract.Text}  " +
                $"(measured {c.Show(c.Measured)}, promised {c.Show(c.Promised)})");
        s.AppendLine(violations.Count == 0
            ? $"verification: ok ({schedule.Instructions.Count} instructions checked)"
            : $"verification: FAILED, {violations.Count} violation(s)");
        foreach (var v in violations) s.AppendLine(v.Render(schedule.SourceFile));
        return s.ToString();
    }

    private static string Percent(long busy, long total) =>
        total == 0 ? "  0.0%" : (100.0 * busy / total).ToString("F1", CultureInfo.InvariantCulture).PadLeft(5) + "%";

}
