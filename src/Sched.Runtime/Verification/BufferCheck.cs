using Sched.Runtime.Execution;
using Sched.Runtime.Operations;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Verification;

/// <summary>
/// Units with a bounded buffer never hold more than it. A loaded tile holds its bytes from its load's start until the last op on the
/// unit that reads that copy ends (the latest load of the tile to the unit that started by then); a result holds its bytes from its
/// op's start until its last store from the unit ends. Computed from the instructions and the machine alone, in O(n log n).
/// </summary>
internal static class BufferCheck
{
    private sealed class Held(long from, long to, long bytes, SourceLine source)
    {
        public long From { get; } = from;
        public long To { get; set; } = to;
        public long Bytes { get; } = bytes;
        public SourceLine Source { get; } = source;
    }

    public static void Run(Machine machine, Schedule schedule, Action<ViolationKind, long, string, string, SourceLine> report)
    {
        if (!machine.Units.Any(u => u.HasBuffer)) return;
        var held = machine.Units.Select(_ => new List<Held>()).ToArray();
        var copy = new Dictionary<(int Unit, int Tile), Held>();
        foreach (var ins in Timeline.InCycleOrder(schedule.Instructions))
        {
            if (machine.StepOf(ins, schedule.Tiles) is not { } step || !machine.Units[ins.Unit].HasBuffer) continue;
            var end = ins.Cycle + step.Duration;
            if (ins.Op == Opcode.Load) Hold(ins.Result, new Held(ins.Cycle, end, schedule.Tiles[ins.Result].Bytes, ins.Source));
            else if (ins.Op == Opcode.Store) Extend(ins.Result, end);
            else if (ins.Op.IsCompute())
            {
                foreach (var operand in ins.Operands.Where(o => o >= 0 && o < schedule.Tiles.Count)) Extend(operand, end);
                Hold(ins.Result, new Held(ins.Cycle, end, schedule.Tiles[ins.Result].Bytes, ins.Source));
            }

            void Hold(int tile, Held h)
            {
                held[ins.Unit].Add(h);
                copy[(ins.Unit, tile)] = h;
            }

            void Extend(int tile, long to)
            {
                if (copy.TryGetValue((ins.Unit, tile), out var h)) h.To = Math.Max(h.To, to);
            }
        }
        for (var u = 0; u < held.Length; u++)
            if (machine.Units[u].HasBuffer && Overflow(held[u], machine.Units[u].Buffer) is { } at)
                report(ViolationKind.BufferOverflow, at.Cycle, machine.Units[u].Name,
                    $"{machine.Units[u].Name} holds {at.Bytes} B of tiles at cycle {at.Cycle}, but its buffer holds "
                    + $"{machine.Units[u].Buffer} B",
                    at.Source);
    }

    /// <summary>The first cycle the held bytes exceed the capacity (a copy's space is free again at its end).</summary>
    private static (long Cycle, long Bytes, SourceLine Source)? Overflow(List<Held> held, long capacity)
    {
        var events = held.SelectMany(h => new[]
            {
                (Cycle: h.From, Delta: h.Bytes, h.Source), (Cycle: Math.Max(h.To, h.From + 1), Delta: -h.Bytes, h.Source),
            }).OrderBy(e => e.Cycle).ThenBy(e => e.Delta).ToList();
        var bytes = 0L;
        foreach (var e in events)
        {
            bytes += e.Delta;
            if (bytes > capacity) return (e.Cycle, bytes, e.Source);
        }
        return null;
    }
}
