using Sched.Runtime.Operations;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Reporting;

/// <summary>One bar of a timeline: an instruction (or, when aggregated, a run of them) on a track, in microseconds.</summary>
public sealed record TimelineBar(int Track, double StartUs, double EndUs, string Name, int Line, long Bytes, bool Compute);

/// <summary>A schedule as a page draws it: the trace's tracks and bars, and each memory's live bytes over time.</summary>
public sealed record TimelineModel(IReadOnlyList<string> Tracks, IReadOnlyList<TimelineBar> Bars, bool Aggregated,
    IReadOnlyDictionary<string, IReadOnlyList<double[]>> LiveBytes);

public static partial class Trace
{
    /// <summary>
    /// The same tracks and bars as the trace (merged per track above <paramref name="maxBars"/>), and live bytes per memory as
    /// [µs, bytes] points, at most about 2,000 a memory (the largest value of each stretch is kept, so peaks survive). A merged
    /// bar is compute when its track is a unit's (resources list the units first).
    /// </summary>
    public static TimelineModel Model(Machine machine, Schedule schedule, int maxBars)
    {
        var tracks = Tracks(machine);
        var spans = Spans(machine, schedule, tracks);
        var aggregated = spans.Count > maxBars;
        if (aggregated) spans = Aggregate(spans, schedule);
        var bars = spans.Select(s => new TimelineBar(s.Track, Microseconds(machine, s.Start), Microseconds(machine, s.End), s.Name,
            s.Ins?.Source.Line ?? 0, s.Ins?.Bytes ?? 0, s.Ins?.Op.IsCompute() ?? tracks[s.Track].Resource < machine.Units.Count))
            .ToList();
        var live = new Dictionary<string, IReadOnlyList<double[]>>();
        foreach (var group in Deltas(machine, schedule).Memory.GroupBy(d => d.Key.Name))
        {
            var points = new List<double[]>();
            var value = 0.0;
            foreach (var ((_, cycle), delta) in group)
            {
                value += delta;
                points.Add([Microseconds(machine, cycle), Math.Max(0, value)]);
            }
            live[group.Key] = Thin(points, 2000);
        }
        return new TimelineModel(tracks.Select(t => t.Name).ToList(), bars, aggregated, live);
    }

    private static List<double[]> Thin(List<double[]> points, int most)
    {
        if (points.Count <= most) return points;
        var stride = (points.Count + most - 1) / most;
        return points.Chunk(stride).Select(c => c.MaxBy(p => p[1])!).ToList();
    }
}
