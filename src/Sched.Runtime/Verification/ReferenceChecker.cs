using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Verification;

/// <summary>
/// A second, deliberately naive checker, written apart from <see cref="Verifier"/> so that the two can check
/// each other (fault injection asks it whether an undetected mutation is really harmless). It counts unit and
/// lane use cycle by cycle, computes when every tile is available from all its writers at once rather than
/// in replay order, and compares every pair of live tiles. Quadratic, so only for small schedules.
/// </summary>
public static class ReferenceChecker
{
    public static bool IsValid(Machine machine, Schedule schedule, out string reason)
    {
        reason = "";
        var tiles = schedule.Tiles;
        var ins = schedule.Instructions;
        var end = new long[ins.Count];
        var ready = new long[ins.Count];   // when what the instruction writes can be used
        for (var i = 0; i < ins.Count; i++)
        {
            var x = ins[i];
            if (x.Cycle < 0 || x.Unit < 0 || x.Unit >= machine.Units.Count || x.Result < 0 || x.Result >= tiles.Count
                || x.Operands.Any(o => o < 0 || o >= tiles.Count))
                return Fail(out reason, $"instruction {i} names something that does not exist");
            var tile = tiles[x.Result];
            if (x.Op == Opcode.Read)
            {
                var flash = machine.MemoryIndex(tile.Memory) is var fm && fm >= 0 ? machine.Memories[fm] : null;
                if (flash is null || flash.PageBytes == 0 || x.Bytes != (tile.Bytes + flash.PageBytes - 1) / flash.PageBytes * flash.PageBytes)
                    return Fail(out reason, $"instruction {i} reads pages wrongly");
                end[i] = x.Cycle + Math.Max(1, x.Bytes / flash.PageBytes * flash.ReadCycles);
                ready[i] = end[i];
                continue;
            }
            if (x.Op.IsTransfer())
            {
                if (x.Link < 0 || x.Link >= machine.Links.Count) return Fail(out reason, $"instruction {i} names no link");
                var link = machine.Links[x.Link];
                var unit = machine.Units[x.Unit].Name;
                var (from, to) = x.Op == Opcode.Load ? (tile.Memory, unit) : (unit, tile.Memory);
                if (link.From != from || link.To != to) return Fail(out reason, $"instruction {i} uses link {link.Name} between the wrong ends");
                if (x.Bytes != tile.Bytes || x.Operands.Length != 1 || x.Operands[0] != x.Result) return Fail(out reason, $"instruction {i} moves the wrong amount");
                var moved = link.Burst > 0 ? (x.Bytes + link.Burst - 1) / link.Burst * link.Burst : x.Bytes;
                end[i] = x.Cycle + Math.Max(1, (long)Math.Ceiling(moved / link.BytesPerCycle * (1 - 1e-12)));
                var source = machine.MemoryIndex(tile.Memory) is var sm && sm >= 0 ? machine.Memories[sm] : null;
                if (x.Op == Opcode.Load && source is { PageBytes: > 0 })
                {
                    var paged = (x.Bytes + source.PageBytes - 1) / source.PageBytes * source.PageBytes;
                    end[i] = Math.Max(end[i], x.Cycle + (long)Math.Ceiling(paged / source.ChannelBytesPerCycle * (1 - 1e-12)));
                }
                ready[i] = end[i] + link.Latency + (x.Op == Opcode.Store ? machine.Memories[machine.MemoryIndex(tile.Memory)].Latency : 0);
            }
            else
            {
                var operands = x.Operands.Select(o => tiles[o]).ToArray();
                bool shapes;
                if (x.Op == Opcode.Matmul)
                    shapes = operands.Length >= 2 && operands[^1].Rows == x.K && operands[^1].Cols == x.N && tile.Rows == x.M && tile.Cols == x.N
                        && operands[..^1].All(a => a.Rows == x.M) && operands[..^1].Sum(a => a.Cols) == x.K;
                else
                    shapes = operands.Length == (x.Op == Opcode.Silu ? 1 : 2) && operands.All(a => a.Rows == x.M && a.Cols == x.N) && tile.Rows == x.M && tile.Cols == x.N;
                if (!shapes) return Fail(out reason, $"instruction {i} has the wrong shapes");
                end[i] = x.Cycle + machine.Units[x.Unit].ComputeCycles(x.Op.Flops(x.M, x.K, x.N), x.Dtype);
                ready[i] = end[i] + machine.Units[x.Unit].Latency;
            }
        }

        // Capacity, one cycle at a time.
        var horizon = Enumerable.Range(0, ins.Count).Select(i => ready[i]).DefaultIfEmpty(0).Max() + 1;
        foreach (var unit in Enumerable.Range(0, machine.Units.Count))
        {
            var busy = new int[horizon];
            for (var i = 0; i < ins.Count; i++)
                if (!ins[i].Op.IsTransfer() && ins[i].Op != Opcode.Read && ins[i].Unit == unit)
                    for (var c = ins[i].Cycle; c < end[i]; c++)
                        if (++busy[c] > 1) return Fail(out reason, $"unit {machine.Units[unit].Name} runs two ops at cycle {c}");
        }
        foreach (var l in Enumerable.Range(0, machine.Links.Count))
        {
            var busy = new int[horizon];
            for (var i = 0; i < ins.Count; i++)
                if (ins[i].Op.IsTransfer() && ins[i].Link == l)
                    for (var c = ins[i].Cycle; c < end[i]; c++)
                        if (++busy[c] > machine.Links[l].Lanes) return Fail(out reason, $"link {machine.Links[l].Name} is over its lanes at cycle {c}");
        }

        // Flash: a die reads one tile at a time; a channel carries one load at a time; pages are read before they leave.
        foreach (var memory in machine.Memories.Where(m => m.PageBytes > 0))
        {
            var dies = new Dictionary<int, int[]>();
            var channels = new Dictionary<int, int[]>();
            var read = new Dictionary<int, long>();
            for (var i = 0; i < ins.Count; i++)
            {
                var tile = tiles[ins[i].Result];
                if (tile.Memory != memory.Name) continue;
                var die = (int)Math.Min(memory.Banks - 1, tile.Address / (memory.Capacity / Math.Max(1, memory.Banks)));
                if (ins[i].Op == Opcode.Read)
                {
                    var busy = dies.TryGetValue(die, out var d) ? d : dies[die] = new int[horizon];
                    for (var c = ins[i].Cycle; c < end[i]; c++)
                        if (++busy[c] > 1) return Fail(out reason, $"die {die} of {memory.Name} reads two tiles at cycle {c}");
                    read[tile.Id] = Math.Min(read.GetValueOrDefault(tile.Id, long.MaxValue), end[i]);
                }
            }
            for (var i = 0; i < ins.Count; i++)
            {
                var tile = tiles[ins[i].Result];
                if (tile.Memory != memory.Name || ins[i].Op != Opcode.Load) continue;
                if (read.GetValueOrDefault(tile.Id, long.MaxValue) > ins[i].Cycle) return Fail(out reason, $"{tile.Name} leaves flash before its pages are read");
                var channel = (int)Math.Min(memory.Banks - 1, tile.Address / (memory.Capacity / Math.Max(1, memory.Banks))) / Math.Max(1, memory.DiesPerChannel);
                var busy = channels.TryGetValue(channel, out var ch) ? ch : channels[channel] = new int[horizon];
                for (var c = ins[i].Cycle; c < end[i]; c++)
                    if (++busy[c] > 1) return Fail(out reason, $"channel {channel} of {memory.Name} carries two loads at cycle {c}");
            }
        }

        // Each bank of a banked memory: one transfer a cycle, and no tile across two banks.
        foreach (var memory in machine.Memories.Where(m => m.Banks > 1 && m.PageBytes == 0))
            for (var bank = 0; bank < memory.Banks; bank++)
            {
                var busy = new int[horizon];
                for (var i = 0; i < ins.Count; i++)
                {
                    var tile = tiles[ins[i].Result];
                    if (!ins[i].Op.IsTransfer() || tile.Memory != memory.Name || memory.Bank(tile.Address) != bank) continue;
                    if (memory.Bank(tile.Address + tile.Bytes - 1) != bank) return Fail(out reason, $"{tile.Name} straddles two banks");
                    for (var c = ins[i].Cycle; c < end[i]; c++)
                        if (++busy[c] > 1) return Fail(out reason, $"bank {bank} of {memory.Name} serves two transfers at cycle {c}");
                }
            }

        // Availability from all writers at once: in memory, and in each unit's buffer.
        var inMemory = new Dictionary<int, long>();
        foreach (var t in tiles) if (t.Resident) inMemory[t.Id] = 0;
        var inBuffer = new Dictionary<(int, int), long>();
        for (var i = 0; i < ins.Count; i++)
        {
            var key = (ins[i].Unit, ins[i].Result);
            if (ins[i].Op == Opcode.Read) continue;
            if (ins[i].Op == Opcode.Store) inMemory[ins[i].Result] = Math.Min(inMemory.GetValueOrDefault(ins[i].Result, long.MaxValue), ready[i]);
            else inBuffer[key] = Math.Min(inBuffer.GetValueOrDefault(key, long.MaxValue), ready[i]);
        }
        for (var i = 0; i < ins.Count; i++)
        {
            var x = ins[i];
            var home = machine.MemoryIndex(tiles[x.Result].Memory);
            if (x.Op == Opcode.Load && home >= 0 && machine.Memories[home].Period > 0
                && x.Cycle % machine.Memories[home].Period != tiles[x.Result].Address / machine.Memories[home].SlotBytes % machine.Memories[home].Period)
                return Fail(out reason, $"load at {x.Cycle} reads {tiles[x.Result].Name} when its slot is not at the tap");
            if (x.Op == Opcode.Load && inMemory.GetValueOrDefault(x.Result, long.MaxValue) > x.Cycle)
                return Fail(out reason, $"load at {x.Cycle} reads {tiles[x.Result].Name} before it is in memory");
            if (x.Op == Opcode.Store && inBuffer.GetValueOrDefault((x.Unit, x.Result), long.MaxValue) > x.Cycle)
                return Fail(out reason, $"store at {x.Cycle} sends {tiles[x.Result].Name} before it is computed");
            if (!x.Op.IsTransfer() && x.Op != Opcode.Read)
                foreach (var o in x.Operands)
                    if (inBuffer.GetValueOrDefault((x.Unit, o), long.MaxValue) > x.Cycle)
                        return Fail(out reason, $"{x.Op.Mnemonic()} at {x.Cycle} reads {tiles[o].Name} before it is on {machine.Units[x.Unit].Name}");
        }
        foreach (var o in schedule.Outputs.SelectMany(o => o.Tiles))
            if (!inMemory.ContainsKey(o)) return Fail(out reason, $"output tile {tiles[o].Name} never reaches memory");

        // Every pair of tiles of one memory that are live at once must not share an address.
        var makespan = horizon - 1;
        var outputs = schedule.Outputs.SelectMany(o => o.Tiles).ToHashSet();
        var lives = new List<(Tile Tile, long From, long To)>();
        foreach (var t in tiles)
        {
            var writes = Enumerable.Range(0, ins.Count).Where(i => ins[i].Op == Opcode.Store && ins[i].Result == t.Id).Select(i => ins[i].Cycle).ToList();
            if (!t.Resident && writes.Count == 0) continue;
            var from = t.Resident ? 0 : writes.Min();
            var reads = Enumerable.Range(0, ins.Count).Where(i => ins[i].Op == Opcode.Load && ins[i].Result == t.Id).Select(i => end[i]).DefaultIfEmpty(from + 1).Max();
            var to = t.Resident || outputs.Contains(t.Id) ? Math.Max(makespan, from + 1) : Math.Max(reads, from + 1);
            var memory = machine.MemoryIndex(t.Memory);
            if (memory < 0 || t.Address < 0 || t.Address + t.Bytes > machine.Memories[memory].Capacity)
                return Fail(out reason, $"{t.Name} lies outside its memory");
            lives.Add((t, from, to));
        }
        for (var a = 0; a < lives.Count; a++)
            for (var b = a + 1; b < lives.Count; b++)
            {
                var (x, y) = (lives[a], lives[b]);
                if (x.Tile.Memory == y.Tile.Memory && x.From < y.To && y.From < x.To
                    && x.Tile.Address < y.Tile.Address + y.Tile.Bytes && y.Tile.Address < x.Tile.Address + x.Tile.Bytes)
                    return Fail(out reason, $"{x.Tile.Name} and {y.Tile.Name} share addresses while both live");
            }
        return true;
    }

    private static bool Fail(out string reason, string why)
    {
        reason = why;
        return false;
    }
}
