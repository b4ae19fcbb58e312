using Sched.Runtime.Schedules;
using Sched.Runtime.Execution;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Verification;

/// <summary>
/// Checks a schedule against the machine model alone: it recomputes every duration and arrival from the
/// components' rules and never uses the compiler's bookkeeping. Rules: unit and lane conflicts, data read
/// before it is written or has arrived, memory capacity and overlapping live addresses.
/// </summary>
public static class Verifier
{
    private const int MaxViolations = 50;

    public static IReadOnlyList<Violation> Verify(Machine machine, Schedule schedule)
    {
        var violations = new List<Violation>();
        void Report(ViolationKind kind, long cycle, string where, string message, SourceLine source)
        {
            if (violations.Count < MaxViolations) violations.Add(new Violation(kind, cycle, where, message, source));
        }

        var tiles = schedule.Tiles;
        var order = Timeline.InCycleOrder(schedule.Instructions);
        var memoryReady = new long[tiles.Count];
        Array.Fill(memoryReady, -1);
        foreach (var tile in tiles)
            if (tile.Resident) memoryReady[tile.Id] = 0;
        var bufferReady = new Dictionary<(int Unit, int Tile), long>();
        var unitBusyUntil = new long[machine.Units.Count];
        var unitBusyWith = new Instruction?[machine.Units.Count];
        var lanes = new PriorityQueue<long, long>[machine.Links.Count];
        for (var l = 0; l < lanes.Length; l++) lanes[l] = new PriorityQueue<long, long>();
        var lastRead = new long[tiles.Count];
        var firstWrite = new long[tiles.Count];
        Array.Fill(firstWrite, long.MaxValue);
        var firstWriter = new Instruction?[tiles.Count];
        var bankBusy = new Dictionary<(int Memory, int Bank), (long Until, Instruction With)>();
        var channelBusy = new Dictionary<(int Memory, int Channel), (long Until, Instruction With)>();
        var pagesRead = new Dictionary<int, long>();   // flash tile → when its pages are in the die's buffer
        var makespan = 0L;

        foreach (var ins in order)
        {
            if (!WellFormed(machine, schedule, ins, out var problem))
            {
                Report(ViolationKind.MalformedInstruction, ins.Cycle, Where(machine, ins), problem, ins.Source);
                continue;
            }
            var unit = machine.Units[ins.Unit];
            var duration = Timeline.Duration(machine, tiles, ins);
            var end = ins.Cycle + duration;
            if (ins.Op.IsTransfer()) CheckBank(ins, end);
            switch (ins.Op)
            {
                case Opcode.Read:
                {
                    // A die reads one tile's pages at a time.
                    var tile = tiles[ins.Result];
                    var m = machine.MemoryIndex(tile.Memory);
                    var die = machine.Memories[m].Bank(tile.Address);
                    Hold(bankBusy, (m, die), ins, end, ViolationKind.BankConflict, $"{tile.Memory}.die[{die}]", "die");
                    pagesRead[tile.Id] = Math.Min(end, pagesRead.GetValueOrDefault(tile.Id, long.MaxValue));
                    makespan = Math.Max(makespan, end);
                    break;
                }
                case Opcode.Load:
                {
                    var tile = tiles[ins.Result];
                    var link = machine.Links[ins.Link];
                    var home = machine.Memories[machine.MemoryIndex(tile.Memory)];
                    if (home.IsFlash)
                    {
                        // Pages leave flash only once the die has read them, and a channel carries one transfer at a time.
                        if (pagesRead.GetValueOrDefault(tile.Id, long.MaxValue) > ins.Cycle)
                            Report(ViolationKind.DataNotReady, ins.Cycle, link.Name, pagesRead.ContainsKey(tile.Id)
                                ? $"load of {tile.Name} starts before its pages are read (cycle {pagesRead[tile.Id]})"
                                : $"load of {tile.Name} from flash without a read of its pages", ins.Source);
                        var m = machine.MemoryIndex(tile.Memory);
                        var channel = home.Channel(home.Bank(tile.Address));
                        Hold(channelBusy, (m, channel), ins, end, ViolationKind.ChannelConflict, $"{home.Name}.channel[{channel}]", "channel");
                    }
                    var ready = memoryReady[tile.Id];
                    if (ready < 0)
                        Report(ViolationKind.DataNotReady, ins.Cycle, link.Name, $"load reads {tile.Name} from {tile.Memory} before any store has written it", ins.Source);
                    else if (ready > ins.Cycle)
                        Report(ViolationKind.DataNotReady, ins.Cycle, link.Name, $"load reads {tile.Name} from {tile.Memory} before it is readable there (cycle {ready})", ins.Source);
                    var loop = machine.Memories[machine.MemoryIndex(tile.Memory)];
                    if (loop.IsFiber && ins.Cycle % loop.Period != loop.Phase(tile.Address))
                        Report(ViolationKind.OffPhase, ins.Cycle, link.Name,
                            $"load reads {tile.Name} from fibre loop {loop.Name} at phase {ins.Cycle % loop.Period}, but its slot passes the tap at cycles ≡ {loop.Phase(tile.Address)} (mod {loop.Period})", ins.Source);
                    var arrival = end + link.Latency;
                    bufferReady[(ins.Unit, tile.Id)] = Math.Min(arrival, bufferReady.GetValueOrDefault((ins.Unit, tile.Id), long.MaxValue));
                    lastRead[tile.Id] = Math.Max(lastRead[tile.Id], end);
                    CheckLanes(ins, link, lanes[ins.Link], end);
                    makespan = Math.Max(makespan, arrival);
                    break;
                }
                case Opcode.Store:
                {
                    var tile = tiles[ins.Result];
                    var link = machine.Links[ins.Link];
                    var memory = machine.Memories[machine.MemoryIndex(tile.Memory)];
                    CheckBuffer(ins, unit, tile, bufferReady);
                    var readable = end + link.Latency + memory.Latency;
                    memoryReady[tile.Id] = memoryReady[tile.Id] < 0 ? readable : Math.Min(memoryReady[tile.Id], readable);
                    if (ins.Cycle < firstWrite[tile.Id]) { firstWrite[tile.Id] = ins.Cycle; firstWriter[tile.Id] = ins; }
                    CheckLanes(ins, link, lanes[ins.Link], end);
                    makespan = Math.Max(makespan, readable);
                    break;
                }
                default:
                {
                    foreach (var operand in ins.Operands)
                        CheckBuffer(ins, unit, tiles[operand], bufferReady);
                    if (ins.Cycle < unitBusyUntil[ins.Unit])
                    {
                        var other = unitBusyWith[ins.Unit]!;
                        Report(ViolationKind.UnitConflict, ins.Cycle, unit.Name,
                            $"{ins.Op.Mnemonic()} issued while {other.Op.Mnemonic()} from line {other.Source.Line} (cycle {other.Cycle}) holds the unit until cycle {unitBusyUntil[ins.Unit]}", ins.Source);
                    }
                    if (end > unitBusyUntil[ins.Unit]) { unitBusyUntil[ins.Unit] = end; unitBusyWith[ins.Unit] = ins; }
                    var result = end + unit.Latency;
                    bufferReady[(ins.Unit, ins.Result)] = Math.Min(result, bufferReady.GetValueOrDefault((ins.Unit, ins.Result), long.MaxValue));
                    makespan = Math.Max(makespan, result);
                    break;
                }
            }
        }

        foreach (var output in schedule.Outputs)
            foreach (var id in output.Tiles)
                if (id >= 0 && id < tiles.Count && memoryReady[id] < 0)
                    Report(ViolationKind.DataNotReady, makespan, tiles[id].Memory, $"output {output.Name}'s tile {tiles[id].Name} is never stored", tiles[id].Origin);
        CheckMemories(machine, schedule, firstWrite, firstWriter, lastRead, makespan, Report);
        return violations;

        void CheckBuffer(Instruction ins, ComputeUnit unit, Tile tile, Dictionary<(int, int), long> ready)
        {
            if (!ready.TryGetValue((ins.Unit, tile.Id), out var at))
                Report(ViolationKind.DataNotReady, ins.Cycle, unit.Name, $"{ins.Op.Mnemonic()} reads {tile.Name}, which was never brought to {unit.Name}", ins.Source);
            else if (at > ins.Cycle)
                Report(ViolationKind.DataNotReady, ins.Cycle, unit.Name, $"{ins.Op.Mnemonic()} reads {tile.Name} before it arrives (cycle {at})", ins.Source);
        }

        // A bank of a banked memory serves one transfer at a time.
        void CheckBank(Instruction ins, long end)
        {
            var tile = tiles[ins.Result];
            var m = machine.MemoryIndex(tile.Memory);
            if (m < 0 || !machine.Memories[m].IsBanked || machine.Memories[m].IsFlash) return;
            var memory = machine.Memories[m];
            var bank = memory.Bank(tile.Address);
            if (memory.Bank(tile.Address + tile.Bytes - 1) != bank)
                Report(ViolationKind.BankConflict, ins.Cycle, memory.Name, $"{tile.Name} at [{tile.Address}, {tile.Address + tile.Bytes}) straddles banks {bank} and {memory.Bank(tile.Address + tile.Bytes - 1)}", ins.Source);
            Hold(bankBusy, (m, bank), ins, end, ViolationKind.BankConflict, $"{memory.Name}.bank[{bank}]", "bank");
        }

        // A bank, die or channel serves one instruction at a time: report an overlap, then remember the later end.
        void Hold(Dictionary<(int, int), (long Until, Instruction With)> table, (int, int) key, Instruction ins, long end,
            ViolationKind kind, string where, string what)
        {
            if (table.TryGetValue(key, out var busy) && ins.Cycle < busy.Until)
                Report(kind, ins.Cycle, where,
                    $"{ins.Op.Mnemonic()} of {tiles[ins.Result].Name} while {busy.With.Op.Mnemonic()} of {tiles[busy.With.Result].Name} (line {busy.With.Source.Line}) holds the {what} until cycle {busy.Until}", ins.Source);
            if (!table.TryGetValue(key, out var current) || end > current.Until) table[key] = (end, ins);
        }

        void CheckLanes(Instruction ins, Link link, PriorityQueue<long, long> busy, long end)
        {
            while (busy.Count > 0 && busy.Peek() <= ins.Cycle) busy.Dequeue();
            if (busy.Count >= link.Lanes)
                Report(ViolationKind.LaneConflict, ins.Cycle, link.Name,
                    $"{ins.Op.Mnemonic()} of {tiles[ins.Result].Name} ({ins.Bytes} B) needs a lane, but all {link.Lanes} are busy until cycle {busy.Peek()}", ins.Source);
            busy.Enqueue(end, end);
        }
    }

    private static void CheckMemories(
        Machine machine, Schedule schedule, long[] firstWrite, Instruction?[] firstWriter, long[] lastRead, long makespan,
        Action<ViolationKind, long, string, string, SourceLine> report)
    {
        var outputs = schedule.Outputs.SelectMany(o => o.Tiles).ToHashSet();
        var live = new List<(Tile Tile, long From, long To, SourceLine Source)>();
        foreach (var tile in schedule.Tiles)
        {
            var from = tile.Resident ? 0 : firstWrite[tile.Id];
            if (from == long.MaxValue) continue;
            var to = tile.Resident || outputs.Contains(tile.Id) ? Math.Max(makespan, from + 1) : Math.Max(lastRead[tile.Id], from + 1);
            live.Add((tile, from, to, firstWriter[tile.Id]?.Source ?? tile.Origin));
        }
        foreach (var group in live.GroupBy(l => l.Tile.Memory))
        {
            var index = machine.MemoryIndex(group.Key);
            if (index < 0)
            {
                foreach (var l in group)
                    report(ViolationKind.MalformedInstruction, l.From, group.Key, $"{l.Tile.Name} is placed in a memory the target does not have", l.Source);
                continue;
            }
            var memory = machine.Memories[index];
            // Live tiles by address (they never overlap each other: an overlapping one is reported, not added),
            // and by end of life, so each tile costs O(log n).
            var byAddress = new SortedSet<(long Address, long End, int Id)>();
            var lives = new Dictionary<int, (Tile Tile, long To)>();
            var expiry = new PriorityQueue<(long Address, long End, int Id), long>();
            foreach (var l in group.OrderBy(l => l.From).ThenBy(l => l.Tile.Id))
            {
                var (tile, start, stop) = (l.Tile, l.Tile.Address, l.Tile.Address + l.Tile.Bytes);
                if (start < 0 || stop > memory.Capacity)
                    report(ViolationKind.OverCapacity, l.From, memory.Name,
                        $"{tile.Name} at [{start}, {stop}) lies outside the {memory.Capacity} B capacity", l.Source);
                while (expiry.TryPeek(out var old, out var to) && to <= l.From) { expiry.Dequeue(); byAddress.Remove(old); }
                var key = (start, stop, tile.Id);
                var before = byAddress.GetViewBetween((long.MinValue, long.MinValue, int.MinValue), (start, long.MaxValue, int.MaxValue));
                var after = byAddress.GetViewBetween((start, long.MinValue, int.MinValue), (stop - 1, long.MaxValue, int.MaxValue));
                var clash = before.Count > 0 && before.Max.End > start ? before.Max : after.Count > 0 ? after.Min : ((long, long, int)?)null;
                if (clash is { } c)
                {
                    var other = lives[c.Item3];
                    report(ViolationKind.OverlappingAddresses, l.From, memory.Name,
                        $"{tile.Name} at [{start}, {stop}) overlaps {other.Tile.Name} at [{other.Tile.Address}, {other.Tile.Address + other.Tile.Bytes}), live until cycle {other.To}", l.Source);
                    continue;
                }
                if (tile.Bytes <= 0) continue;
                byAddress.Add(key);
                lives[tile.Id] = (tile, l.To);
                expiry.Enqueue(key, l.To);
            }
        }
    }

    private static bool WellFormed(Machine machine, Schedule schedule, Instruction ins, out string problem)
    {
        problem = "";
        if (ins.Cycle < 0) problem = "issued at a negative cycle";
        else if (ins.Unit < 0 || ins.Unit >= machine.Units.Count) problem = $"names unit #{ins.Unit}, which the target does not have";
        else if (ins.Result < 0 || ins.Result >= schedule.Tiles.Count || ins.Operands.Any(o => o < 0 || o >= schedule.Tiles.Count))
            problem = "names a tile the schedule does not have";
        else if (ins.Op == Opcode.Read)
        {
            var tile = schedule.Tiles[ins.Result];
            var home = machine.MemoryIndex(tile.Memory);
            if (home < 0 || !machine.Memories[home].IsFlash) problem = $"reads pages of {tile.Name}, which is not in flash";
            else if (ins.Bytes != machine.Memories[home].Pages(tile.Bytes) * machine.Memories[home].PageBytes) problem = $"reads {ins.Bytes} B of {tile.Name}, not its whole pages";
        }
        else if (ins.Op.IsTransfer())
        {
            var tile = schedule.Tiles[ins.Result];
            var unit = machine.Units[ins.Unit].Name;
            if (ins.Link < 0 || ins.Link >= machine.Links.Count) problem = $"names link #{ins.Link}, which the target does not have";
            else if (ins.Op == Opcode.Load && (machine.Links[ins.Link].From != tile.Memory || machine.Links[ins.Link].To != unit))
                problem = $"loads {tile.Name} over {machine.Links[ins.Link].Name}, which does not run from {tile.Memory} to {unit}";
            else if (ins.Op == Opcode.Store && (machine.Links[ins.Link].From != unit || machine.Links[ins.Link].To != tile.Memory))
                problem = $"stores {tile.Name} over {machine.Links[ins.Link].Name}, which does not run from {unit} to {tile.Memory}";
            else if (ins.Bytes != tile.Bytes) problem = $"moves {ins.Bytes} B of {tile.Name}, which holds {tile.Bytes} B";
        }
        else
        {
            var result = schedule.Tiles[ins.Result];
            var operands = ins.Operands.Select(o => schedule.Tiles[o]).ToArray();
            var shapeOk = ins.Op == Opcode.Matmul
                ? operands.Length >= 2 && result.Rows == ins.M && result.Cols == ins.N
                  && operands[..^1].All(a => a.Rows == ins.M) && operands[..^1].Sum(a => a.Cols) == ins.K
                  && operands[^1].Rows == ins.K && operands[^1].Cols == ins.N
                : operands.Length >= 1 && operands.All(a => a.Rows == ins.M && a.Cols == ins.N) && result.Rows == ins.M && result.Cols == ins.N;
            if (!shapeOk) problem = $"{ins.Op.Mnemonic()} {ins.M}×{ins.K}×{ins.N} does not match the shapes of its tiles";
        }
        return problem.Length == 0;
    }

    private static string Where(Machine machine, Instruction ins) =>
        ins.Link >= 0 && ins.Link < machine.Links.Count ? machine.Links[ins.Link].Name
        : ins.Unit >= 0 && ins.Unit < machine.Units.Count ? machine.Units[ins.Unit].Name
        : $"unit #{ins.Unit}";
}
