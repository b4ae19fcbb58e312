using Sched.Runtime.Execution;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Verification;

/// <summary>
/// The measured figures a contract can speak of: cycles and time from the replay, bound from the verifier, and what the replay
/// counted of each unit, memory and link (never a figure the schedule or the compiler states).
/// </summary>
public sealed record Metrics(long Cycles, double Seconds, long Bound)
{
    private IReadOnlyDictionary<string, double> Busy { get; init; } = new Dictionary<string, double>();
    private IReadOnlyDictionary<string, double> Moved { get; init; } = new Dictionary<string, double>();
    private IReadOnlyDictionary<string, double> Carried { get; init; } = new Dictionary<string, double>();
    private IReadOnlyDictionary<int, long> LineEnds { get; init; } = new Dictionary<int, long>();
    private double ClockHz { get; init; } = 1;

    /// <summary>Busy cycles ÷ cycles of a unit, or the mean over a pool's units.</summary>
    public double Utilization(string unit) => Busy.GetValueOrDefault(unit);

    /// <summary>Bytes read from and written to a memory.</summary>
    public double Traffic(string memory) => Moved.GetValueOrDefault(memory);

    /// <summary>Bytes carried from one component to another (over every link between them, a pool's units together).</summary>
    public double Bytes(string from, string to) => Carried.GetValueOrDefault(from + "->" + to);

    /// <summary>When the last instruction made by source lines [first, last] (a phase) ends, in seconds.</summary>
    public double Until(int first, int last) =>
        LineEnds.Where(e => e.Key >= first && e.Key <= last).Select(e => e.Value).DefaultIfEmpty(0).Max() / ClockHz;

    public static Metrics Of(Machine machine, Schedule schedule, Replay replay, long bound)
    {
        var ends = new Dictionary<int, long>();
        foreach (var ins in schedule.Instructions)
            if (machine.StepOf(ins, schedule.Tiles) is { } step)
                ends[ins.Source.Line] = Math.Max(ends.GetValueOrDefault(ins.Source.Line), ins.Cycle + step.Duration + step.After);
        var cycles = Math.Max(1, replay.Cycles);
        var busy = new Dictionary<string, double>();
        for (var u = 0; u < machine.Units.Count; u++) busy[machine.Units[u].Name] = replay.UnitBusy[u] / (double)cycles;
        foreach (var pool in machine.Units.GroupBy(u => u.Pool)) busy.TryAdd(pool.Key, pool.Average(u => busy[u.Name]));
        var moved = machine.Memories.Select((m, i) => (m.Name, (double)replay.MemoryBytesRead[i] + replay.MemoryBytesWritten[i]))
            .ToDictionary(p => p.Name, p => p.Item2);
        var carried = new Dictionary<string, double>();
        string PoolOf(string name) => machine.Units.FirstOrDefault(u => u.Name == name)?.Pool ?? name;
        for (var i = 0; i < machine.Links.Count; i++)
        {
            var l = machine.Links[i];
            foreach (var key in new[] { l.From + "->" + l.To, PoolOf(l.From) + "->" + PoolOf(l.To) }.Distinct())
                carried[key] = carried.GetValueOrDefault(key) + replay.LinkBytes[i];
        }
        return new Metrics(replay.Cycles, machine.Seconds(replay.Cycles), bound)
        {
            Busy = busy, Moved = moved, Carried = carried, LineEnds = ends, ClockHz = machine.ClockHz,
        };
    }
}
