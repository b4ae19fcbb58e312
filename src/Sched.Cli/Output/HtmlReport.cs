using Sched.Compiler;
using Sched.Runtime;
using Sched.Runtime.Operations;
using Sched.Runtime.Schedules;
using Sched.Runtime.Reporting;
using Sched.Runtime.Targets;

namespace Sched.Cli.Output;

/// <summary>
/// <c>sched report</c>'s page: a zoomable Gantt timeline of units and link lanes, the operations on the target's roofline, memory
/// occupancy over time, utilisation, contracts, notes, bound and schedule hash; one file, nothing fetched.
/// </summary>
internal static class HtmlReport
{
    // Above this many bars each track's nearby bars are merged (as in traces), so a page of a 10^5-instruction schedule stays quick.
    private const int MaxBars = 30_000;

    public static string Html(CompileResult compiled, RunResult run)
    {
        var (machine, schedule) = (compiled.Program!.Target.Machine, compiled.Schedule!);
        var timeline = Trace.Model(machine, schedule, MaxBars);
        var data = new
        {
            program = schedule.Program, target = machine.Name, file = schedule.SourceFile,
            cycles = run.Replay.Cycles, seconds = machine.Seconds(run.Replay.Cycles), clockHz = machine.ClockHz,
            bound = run.Bound, boundKind = run.BoundKind, hash = run.ScheduleHash, instructions = schedule.Instructions.Count,
            passed = run.Passed, functional = run.Functional, notes = schedule.Notes,
            contracts = run.Contracts.Select(c => new { text = (c.IsPrediction ? "predict " : "") + c.Contract.Text,
                measured = c.Show(c.Measured), promised = c.Show(c.Promised), holds = c.Holds }),
            violations = run.Violations.Select(v => v.Render(schedule.SourceFile)),
            tracks = timeline.Tracks, aggregated = timeline.Aggregated,
            bars = timeline.Bars.Select(b => new object[] { b.Track, b.StartUs, b.EndUs, b.Name, b.Line, b.Bytes, b.Compute ? 1 : 0 }),
            live = timeline.LiveBytes.Select(m => new { memory = m.Key, capacity = Capacity(machine, m.Key), points = m.Value }),
            utilisation = machine.Units.Select((u, i) => new { name = u.Name, value = Share(run.Replay.UnitBusy[i], run.Replay.Cycles) })
                .Concat(machine.Links.Select((l, i) => new { name = l.Name,
                    value = Share(run.Replay.LinkBusy[i], run.Replay.Cycles * l.Lanes) })),
            roofline = Roofline(machine, schedule),
        };
        var title = $"{schedule.Program} on {machine.Name}";
        var body = $"""
            <h1>{HtmlPage.Encode(title)} <small>({HtmlPage.Encode(schedule.SourceFile)})</small></h1>
            <table id="summary"></table>
            <h2>Timeline</h2><p id="timeline-note">Drag or scroll to zoom; every bar is an instruction on a unit or a link lane.</p>
            <div id="gantt" class="chart" style="height: 520px"></div>
            <h2>Roofline</h2><div id="roofline" class="chart"></div>
            <h2>Memory occupancy</h2><div id="memory" class="chart"></div>
            <h2>Utilisation</h2><div id="utilisation" class="chart"></div>
            <h2>Contracts</h2><table id="contracts"></table>
            <h2>Notes</h2><ul id="notes"></ul>
            <h2>Verification</h2><pre id="verification"></pre>
            """;
        return HtmlPage.Write($"sched report: {title}", body, data, ReportScript.Text);
    }

    private static double Share(long busy, long total) => total > 0 ? (double)busy / total : 0;

    private static long Capacity(Machine machine, string memory) =>
        machine.MemoryIndex(memory) is var i and >= 0 ? machine.Memories[i].Capacity : 0;

    /// <summary>
    /// Each operation (a source line's op): FLOPs ÷ bytes it moved against FLOPs ÷ the time from its first to last step.
    /// </summary>
    private static object Roofline(Machine machine, Runtime.Schedules.Schedule schedule)
    {
        var ops = new Dictionary<int, (string Op, double Flops, double Bytes, long Start, long End)>();
        foreach (var ins in schedule.Instructions)
        {
            if (machine.StepOf(ins, schedule.Tiles) is not { } step) continue;
            var line = ins.Source.Line;
            var o = ops.GetValueOrDefault(line, ("", 0, 0, long.MaxValue, 0));
            if (ins.Op.IsCompute()) (o.Op, o.Flops) = (ins.Op.Mnemonic(), o.Flops + OperationCatalogue.Of(ins.Op).Flops(ins.M, ins.K, ins.N,
                ins.Args));
            else if (ins.Op.IsTransfer()) o.Bytes += ins.Bytes;
            (o.Start, o.End) = (Math.Min(o.Start, ins.Cycle), Math.Max(o.End, ins.Cycle + step.Duration));
            ops[line] = o;
        }
        var peak = machine.Units.Sum(u => u.FlopsPerCycle) * machine.ClockHz;
        var units = machine.Units.Select(u => u.Name).ToHashSet();
        var bandwidth = machine.Links.Where(l => units.Contains(l.To)).Sum(l => l.BytesPerCycle * l.Lanes) * machine.ClockHz;
        return new
        {
            peak, bandwidth,
            points = ops.Where(o => o.Value.Flops > 0 && o.Value.Bytes > 0).OrderBy(o => o.Key).Select(o => new
            {
                line = o.Key, op = o.Value.Op, intensity = o.Value.Flops / o.Value.Bytes,
                achieved = o.Value.Flops / machine.Seconds(Math.Max(1, o.Value.End - o.Value.Start)),
            }),
        };
    }
}
