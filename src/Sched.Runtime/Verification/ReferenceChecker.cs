using Sched.Runtime.Operations;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;
using Sched.Runtime.Targets.Kinds;

namespace Sched.Runtime.Verification;

/// <summary>
/// A second, deliberately naive checker, written apart from <see cref="Verifier"/> so that the two can check each
/// other (fault injection asks it whether an undetected mutation is really harmless). It reads the same steps from the
/// machine's kinds but keeps its own books: it counts every resource's use cycle by cycle, computes when every tile is
/// available from all its writers at once rather than in replay order, and compares every pair of live tiles.
/// Quadratic, so only for small schedules.
/// </summary>
public static class ReferenceChecker
{
    public static bool IsValid(Machine machine, Schedule schedule, out string reason)
    {
        var ins = schedule.Instructions;
        var steps = new Step[ins.Count];
        for (var i = 0; i < ins.Count; i++)
            if (Describe(machine, schedule, i, out steps[i]) is { } why) return Fail(out reason, why);
        var end = Enumerable.Range(0, ins.Count).Select(i => ins[i].Cycle + steps[i].Duration).ToArray();
        var ready = Enumerable.Range(0, ins.Count).Select(i => end[i] + steps[i].After).ToArray();
        var failure = Resources(machine, schedule, steps, end)
            ?? StepOrder(machine, schedule, steps, end)
            ?? Availability(machine, schedule, ready)
            ?? Addresses(machine, schedule, end, ready.DefaultIfEmpty(0).Max())
            ?? Buffers(machine, schedule, end);
        reason = failure ?? "";
        return failure is null;
    }

    /// <summary>Everything the instruction names exists and its step is one the machine takes.</summary>
    private static string? Describe(Machine machine, Schedule schedule, int i, out Step step)
    {
        step = default;
        var x = schedule.Instructions[i];
        var tiles = schedule.Tiles;
        if (x.Cycle < 0 || x.Unit < 0 || x.Unit >= machine.Units.Count || x.Result < 0 || x.Result >= tiles.Count
            || x.Operands.Any(o => o < 0 || o >= tiles.Count))
            return $"instruction {i} names something that does not exist";
        var tile = tiles[x.Result];
        if (tile.ViewProblem(tiles) is not null || tile.IsView && x.Op != Opcode.Load && tiles[tile.Parent].Resident)
            return $"instruction {i} names a view that is not rows of its parent, or writes rows of an input";
        if (x.Op.IsTransfer())
        {
            if (x.Link < 0 || x.Link >= machine.Links.Count) return $"instruction {i} names no link";
            var link = machine.Links[x.Link];
            var unit = machine.Units[x.Unit].Name;
            var (from, to) = x.Op == Opcode.Load ? (tile.Memory, unit) : (unit, tile.Memory);
            if (link.From != from || link.To != to) return $"instruction {i} uses link {link.Name} between the wrong ends";
            if (x.Operands.Length != 1 || x.Operands[0] != x.Result) return $"instruction {i} moves a tile other than it names";
        }
        if (x.Op.IsCompute() && !OperationCatalogue.Of(x.Op).Fits(x, x.Operands.Select(o => tiles[o]).ToArray(), tile))
            return $"instruction {i} has the wrong shapes";
        if (machine.StepOf(x, tiles) is not { } found) return $"instruction {i} is a step its memory does not take";
        step = found;
        if (!x.Op.IsCompute() && x.Bytes != step.Bytes) return $"instruction {i} moves the wrong amount";
        if (!x.Op.IsCompute() && x.Op != Opcode.Store && step.HasWindow && x.Cycle % step.Period != step.Phase)
            return $"instruction {i} reads {tile.Name} when its slot is not at the tap";
        var memory = machine.MemoryIndex(tile.Memory) is var m and >= 0 ? machine.Memories[m] : null;
        var last = tile.Address + Math.Max(1, tile.Bytes) - 1;
        if (x.Op.IsTransfer() && memory is not null && memory.Region(tile.Address) != memory.Region(last))
            return $"{tile.Name} straddles two regions of {memory.Name}";
        return null;
    }

    /// <summary>Every unit, lane, bank, die, channel and vault, one cycle at a time.</summary>
    private static string? Resources(Machine machine, Schedule schedule, Step[] steps, long[] end)
    {
        var users = new SortedDictionary<int, List<(int Step, int Amount)>>();
        for (var i = 0; i < steps.Length; i++)
        {
            foreach (var (r, amount) in machine.Holds(schedule.Instructions[i], steps[i], schedule.Tiles))
                (users.TryGetValue(r, out var list) ? list : users[r] = []).Add((i, amount));
        }
        var horizon = end.DefaultIfEmpty(0).Max() + 1;
        var busy = new int[horizon];
        foreach (var (r, list) in users)
        {
            Array.Clear(busy);
            foreach (var (i, amount) in list)
                for (var c = schedule.Instructions[i].Cycle; c < end[i]; c++)
                    if ((busy[c] += amount) > machine.Resources[r].Capacity)
                        return $"{machine.Resources[r].Name} is used beyond its capacity at cycle {c}";
        }
        return null;
    }

    /// <summary>Each step of a load (a flash read, then the transfer) starts after some earlier step of the same tile has ended.</summary>
    private static string? StepOrder(Machine machine, Schedule schedule, Step[] steps, long[] end)
    {
        var ins = schedule.Instructions;
        var done = new Dictionary<(int Tile, Opcode Op), long>();
        for (var i = 0; i < ins.Count; i++)
            if (!ins[i].Op.IsCompute() && ins[i].Op != Opcode.Store)
                done[(ins[i].Result, ins[i].Op)] = Math.Min(done.GetValueOrDefault((ins[i].Result, ins[i].Op), long.MaxValue), end[i]);
        for (var i = 0; i < ins.Count; i++)
        {
            if (ins[i].Op.IsCompute() || ins[i].Op == Opcode.Store) continue;
            var sequence = machine.Memories[machine.MemoryIndex(schedule.Tiles[ins[i].Result].Memory)].LoadSteps;
            var k = sequence.ToList().IndexOf(ins[i].Op);
            if (k > 0 && done.GetValueOrDefault((ins[i].Result, sequence[k - 1]), long.MaxValue) > ins[i].Cycle)
                return $"{ins[i].Op.Mnemonic()} of {schedule.Tiles[ins[i].Result].Name} at {ins[i].Cycle} " +
                    $"before its {sequence[k - 1].Mnemonic()} is done";
        }
        return null;
    }

    /// <summary>When each tile is in memory and in each unit's buffer, from all its writers at once; every reader after that.</summary>
    private static string? Availability(Machine machine, Schedule schedule, long[] ready)
    {
        var (ins, tiles) = (schedule.Instructions, schedule.Tiles);
        var inMemory = tiles.Where(t => t.Resident).ToDictionary(t => t.Id, _ => 0L);
        var inBuffer = new Dictionary<(int, int), long>();
        for (var i = 0; i < ins.Count; i++)
        {
            if (ins[i].Op == Opcode.Store) inMemory[ins[i].Result] = Math.Min(inMemory.GetValueOrDefault(ins[i].Result, long.MaxValue),
                ready[i]);
            else if (ins[i].Op == Opcode.Load || ins[i].Op.IsCompute())
                inBuffer[(ins[i].Unit, ins[i].Result)] = Math.Min(inBuffer.GetValueOrDefault((ins[i].Unit, ins[i].Result),
                    long.MaxValue), ready[i]);
        }
        AddPieces(schedule, inMemory);
        foreach (var x in ins)
        {
            if (!x.Op.IsCompute() && x.Op != Opcode.Store && inMemory.GetValueOrDefault(tiles[x.Result].Storage, long.MaxValue) > x.Cycle)
                return $"{x.Op.Mnemonic()} at {x.Cycle} reads {tiles[x.Result].Name} before it is in memory";
            if (x.Op == Opcode.Store && inBuffer.GetValueOrDefault((x.Unit, x.Result), long.MaxValue) > x.Cycle)
                return $"store at {x.Cycle} sends {tiles[x.Result].Name} before it is computed";
            if (x.Op.IsCompute())
                foreach (var o in x.Operands)
                    if (inBuffer.GetValueOrDefault((x.Unit, o), long.MaxValue) > x.Cycle)
                        return $"{x.Op.Mnemonic()} at {x.Cycle} reads {tiles[o].Name} before it is on {machine.Units[x.Unit].Name}";
        }
        foreach (var o in schedule.Outputs.SelectMany(o => o.Tiles))
            if (!inMemory.ContainsKey(o)) return $"output tile {tiles[o].Name} never reaches memory";
        return null;
    }

    /// <summary>A tile stored in pieces (views) is in memory when the last piece is, if every row of it is stored by exactly one.</summary>
    private static void AddPieces(Schedule schedule, Dictionary<int, long> inMemory)
    {
        var tiles = schedule.Tiles;
        foreach (var parent in tiles.Where(v => v.IsView && inMemory.ContainsKey(v.Id)).GroupBy(v => v.Parent))
        {
            var rows = new int[tiles[parent.Key].Rows];
            foreach (var v in parent) for (var r = v.RowOffset; r < v.RowOffset + v.Rows; r++) rows[r]++;
            if (rows.All(r => r == 1)) inMemory[parent.Key] = Math.Min(inMemory.GetValueOrDefault(parent.Key, long.MaxValue),
                parent.Max(v => inMemory[v.Id]));
        }
    }

    /// <summary>Every pair of tiles of one memory that are live at once must not share an address.</summary>
    private static string? Addresses(Machine machine, Schedule schedule, long[] end, long makespan)
    {
        var ins = schedule.Instructions;
        var outputs = schedule.Outputs.SelectMany(o => o.Tiles).ToHashSet();
        var lives = new List<(Tile Tile, long From, long To)>();
        foreach (var t in schedule.Tiles)
        {
            if (t.IsView) continue;   // its bytes are its parent's
            var writes = Enumerable.Range(0, ins.Count)
                .Where(i => ins[i].Op == Opcode.Store && schedule.Tiles[ins[i].Result].Storage == t.Id)
                .Select(i => ins[i].Cycle).ToList();
            if (!t.Resident && writes.Count == 0) continue;
            var from = t.Resident ? 0 : writes.Min();
            var reads = Enumerable.Range(0, ins.Count).Where(i => ins[i].Op == Opcode.Load && schedule.Tiles[ins[i].Result].Storage == t.Id)
                .Select(i => end[i])
                .DefaultIfEmpty(from + 1).Max();
            var to = t.Resident || outputs.Contains(t.Id) ? Math.Max(makespan, from + 1) : Math.Max(reads, from + 1);
            var memory = machine.MemoryIndex(t.Memory);
            if (memory < 0 || t.Address < 0 || t.Address > machine.Memories[memory].Capacity - t.Bytes)
                return $"{t.Name} lies outside its memory";
            lives.Add((t, from, to));
        }
        for (var a = 0; a < lives.Count; a++)
            for (var b = a + 1; b < lives.Count; b++)
            {
                var (x, y) = (lives[a], lives[b]);
                if (x.Tile.Memory == y.Tile.Memory && x.From < y.To && y.From < x.To
                    && x.Tile.Address < y.Tile.Address + y.Tile.Bytes && y.Tile.Address < x.Tile.Address + x.Tile.Bytes)
                    return $"{x.Tile.Name} and {y.Tile.Name} share addresses while both live";
            }
        return null;
    }

    /// <summary>
    /// A bounded unit buffer, cycle by cycle at every start: each copy a load or compute puts on a unit lives from its start to the last
    /// end of an instruction on that unit that uses it before the tile's next copy there starts.
    /// </summary>
    private static string? Buffers(Machine machine, Schedule schedule, long[] end)
    {
        var ins = schedule.Instructions;
        var lives = new List<(int Unit, long Bytes, long From, long To)>();
        for (var i = 0; i < ins.Count; i++)
        {
            var x = ins[i];
            if (!machine.Units[x.Unit].HasBuffer || x.Op is not Opcode.Load && !x.Op.IsCompute()) continue;
            var next = Enumerable.Range(0, ins.Count).Where(j => j != i && ins[j].Unit == x.Unit && ins[j].Result == x.Result
                && (ins[j].Op == Opcode.Load || ins[j].Op.IsCompute()) && ins[j].Cycle > x.Cycle).Select(j => ins[j].Cycle)
                .DefaultIfEmpty(long.MaxValue).Min();
            var users = Enumerable.Range(0, ins.Count).Where(j => ins[j].Unit == x.Unit && ins[j].Cycle >= x.Cycle && ins[j].Cycle < next
                && (ins[j].Op.IsCompute() && ins[j].Operands.Contains(x.Result) || ins[j].Op == Opcode.Store && ins[j].Result == x.Result));
            var to = Math.Max(users.Select(j => end[j]).Append(end[i]).Max(), x.Cycle + 1);
            lives.Add((x.Unit, schedule.Tiles[x.Result].Bytes, x.Cycle, to));
        }
        foreach (var (unit, _, at, _) in lives)
        {
            var held = lives.Where(l => l.Unit == unit && l.From <= at && at < l.To).Sum(l => l.Bytes);
            if (held > machine.Units[unit].Buffer)
                return $"{machine.Units[unit].Name} holds {held} B at cycle {at}, more than its {machine.Units[unit].Buffer} B buffer";
        }
        return null;
    }

    private static bool Fail(out string reason, string why)
    {
        reason = why;
        return false;
    }
}
