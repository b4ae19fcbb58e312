using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Verification;

/// <summary>
/// Live tiles of a memory stay inside its capacity and never share an address. A tile lives from its first store
/// (cycle 0 for inputs and weights) to the end of its last load (to the end for outputs and resident tiles).
/// </summary>
internal static class MemoryCheck
{
    private readonly record struct Life(Tile Tile, long From, long To, SourceLine Source);

    public static void Run(Machine machine, Schedule schedule, long[] firstWrite, Instruction?[] firstWriter, long[] lastRead,
        long makespan,
        Action<ViolationKind, long, string, string, SourceLine> report)
    {
        var outputs = schedule.Outputs.SelectMany(o => o.Tiles).ToHashSet();
        var live = new List<Life>();
        foreach (var tile in schedule.Tiles.Where(t => !t.IsView))   // a view's bytes are its parent's
        {
            var from = tile.Resident ? 0 : firstWrite[tile.Id];
            if (from == long.MaxValue) continue;
            var to = tile.Resident || outputs.Contains(tile.Id) ? Math.Max(makespan, from + 1) : Math.Max(lastRead[tile.Id], from + 1);
            live.Add(new Life(tile, from, to, firstWriter[tile.Id]?.Source ?? tile.Origin));
        }
        foreach (var group in live.GroupBy(l => l.Tile.Memory))
        {
            var index = machine.MemoryIndex(group.Key);
            if (index >= 0) CheckMemory(machine.Memories[index].Name, machine.Memories[index].Capacity, group, report);
            else
                foreach (var l in group)
                    report(ViolationKind.MalformedInstruction, l.From, group.Key,
                        $"{l.Tile.Name} is placed in a memory the target does not have", l.Source);
        }
    }

    /// <summary>Live tiles by address (an overlapping one is reported, not added) and by end of life: O(log n) a tile.</summary>
    private static void CheckMemory(string memory, long capacity, IEnumerable<Life> lives,
        Action<ViolationKind, long, string, string, SourceLine> report)
    {
        var byAddress = new AddressSet();
        var holding = new Dictionary<int, Life>();
        var expiry = new PriorityQueue<(long Address, long End, int Id), long>();
        foreach (var l in lives.OrderBy(l => l.From).ThenBy(l => l.Tile.Id))
        {
            var (tile, start) = (l.Tile, l.Tile.Address);
            // An address near 2^63 must not wrap around: such a tile is outside the memory, and not compared further.
            var stop = start >= 0 && tile.Bytes >= 0 && start <= long.MaxValue - tile.Bytes ? start + tile.Bytes : long.MaxValue;
            if (start < 0 || stop > capacity)
            {
                report(ViolationKind.OverCapacity, l.From, memory,
                    $"{tile.Name} at [{start}, {stop}) lies outside the {capacity} B capacity", l.Source);
                continue;
            }
            while (expiry.TryPeek(out var old, out var to) && to <= l.From) { expiry.Dequeue(); byAddress.Remove(old); }
            if (byAddress.Overlapping(start, stop) is { } c)
            {
                var other = holding[c.Item3];
                report(ViolationKind.OverlappingAddresses, l.From, memory,
                    $"{tile.Name} at [{start}, {stop}) overlaps {other.Tile.Name} at " +
                    $"[{other.Tile.Address}, {other.Tile.Address + other.Tile.Bytes}), live until cycle {other.To}", l.Source);
                continue;
            }
            if (tile.Bytes <= 0) continue;
            var key = (start, stop, tile.Id);
            byAddress.Add(key);
            holding[tile.Id] = l;
            expiry.Enqueue(key, l.To);
        }
    }
}
