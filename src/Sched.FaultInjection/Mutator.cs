using Sched.Runtime.Verification;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.FaultInjection;

/// <summary>The ways fault injection breaks a valid schedule.</summary>
public enum Mutation
{
    ShiftEarlier, ShiftLater, MoveToAnotherUnit, DropTransfer, DuplicateTransfer, OverlapAddresses, ChangeByteCount,
    /// <summary>A step with a periodic window (a fibre read) moved off its phase.</summary>
    OffWindow,
    /// <summary>Two steps that hold the same bank, die, channel or vault moved onto one cycle.</summary>
    CollideOnResource,
    /// <summary>A tile moved to the same offset in another bank, die or vault.</summary>
    MoveToAnotherRegion,
    /// <summary>A load onto a unit with a bounded buffer moved to the start of the step, as an unbounded prefetch would.</summary>
    PrefetchEarly,
}

/// <summary>Applies one random mutation to a schedule, deterministically for a given random source.</summary>
public static class Mutator
{
    public static (Mutation Kind, Schedule Schedule, string What) Mutate(Machine machine, Schedule schedule, Random random)
    {
        var kinds = Enum.GetValues<Mutation>();
        while (true)
        {
            var kind = kinds[random.Next(kinds.Length)];
            if (Apply(kind, machine, schedule, random) is { } result) return (kind, result.Schedule, result.What);
        }
    }

    private static (Schedule Schedule, string What)? Apply(Mutation kind, Machine machine, Schedule s, Random random)
    {
        var list = s.Instructions.ToList();
        var transfers = Enumerable.Range(0, list.Count).Where(i => list[i].Op.IsTransfer()).ToList();
        var i = random.Next(list.Count);
        var ins = list[i];
        switch (kind)
        {
            case Mutation.ShiftEarlier:
            {
                var by = 1 + random.Next(Math.Max(1, (int)Math.Min(64, ins.Cycle)));
                if (ins.Cycle - by < 0) return null;
                list[i] = ins.WithCycle(ins.Cycle - by);
                return (s.WithInstructions(list), $"{Describe(ins)} shifted {by} cycles earlier");
            }
            case Mutation.ShiftLater:
            {
                var by = 1 + random.Next(64);
                list[i] = ins.WithCycle(ins.Cycle + by);
                return (s.WithInstructions(list), $"{Describe(ins)} shifted {by} cycles later");
            }
            case Mutation.MoveToAnotherUnit:
            {
                if (machine.Units.Count < 2) return null;
                var unit = (ins.Unit + 1 + random.Next(machine.Units.Count - 1)) % machine.Units.Count;
                list[i] = ins with { Unit = unit };
                return (s.WithInstructions(list), $"{Describe(ins)} moved to {machine.Units[unit].Name}");
            }
            case Mutation.DropTransfer:
                return Drop(s, list, transfers, random);
            case Mutation.DuplicateTransfer:
                return Duplicate(s, list, transfers, random);
            case Mutation.OverlapAddresses:
                return Overlap(s, random);
            case Mutation.OffWindow:
                return OffWindow(machine, s, list, random);
            case Mutation.CollideOnResource:
                return Collide(machine, s, list, random);
            case Mutation.MoveToAnotherRegion:
                return MoveRegion(machine, s, random);
            case Mutation.ChangeByteCount:
                return ChangeBytes(s, list, transfers, random);
            case Mutation.PrefetchEarly:
                return Prefetch(machine, s, list, random);
        }
        return null;
    }

    private static (Schedule, string)? Prefetch(Machine machine, Schedule s, List<Instruction> list, Random random)
    {
        var loads = Enumerable.Range(0, list.Count).Where(i => list[i].Op == Opcode.Load && list[i].Cycle > 0
            && machine.Units[list[i].Unit].HasBuffer).ToList();
        if (loads.Count == 0) return null;
        var i = loads[random.Next(loads.Count)];
        var ins = list[i];
        list[i] = ins.WithCycle(0);
        return (s.WithInstructions(list), $"{Describe(ins)} prefetched to cycle 0");
    }

    private static (Schedule, string)? Drop(Schedule s, List<Instruction> list, List<int> transfers, Random random)
    {
        if (transfers.Count == 0) return null;
        var t = transfers[random.Next(transfers.Count)];
        var dropped = list[t];
        list.RemoveAt(t);
        return (s.WithInstructions(list), $"{Describe(dropped)} dropped");
    
    }

    private static (Schedule, string)? Duplicate(Schedule s, List<Instruction> list, List<int> transfers, Random random)
    {
        if (transfers.Count == 0) return null;
        var t = transfers[random.Next(transfers.Count)];
        var copy = list[t].WithCycle(list[t].Cycle + random.Next(4));
        list.Insert(t + 1, copy);
        return (s.WithInstructions(list.OrderBy(x => x.Cycle).ToList()), $"{Describe(list[t])} duplicated at cycle {copy.Cycle}");
    
    }

    private static (Schedule, string)? Overlap(Schedule s, Random random)
    {
        var a = s.Tiles[random.Next(s.Tiles.Count)];
        var others = s.Tiles.Where(t => t.Memory == a.Memory && t.Id != a.Id && t.Address != a.Address).ToList();
        if (others.Count == 0) return null;
        var b = others[random.Next(others.Count)];
        var tiles = s.Tiles.Select(t => t.Id == a.Id ? t.WithAddress(b.Address) : t).ToList();
        return (s.WithTiles(tiles), $"{a.Name} moved onto {b.Name}'s address {b.Address}");
    
    }

    private static (Schedule, string)? ChangeBytes(Schedule s, List<Instruction> list, List<int> transfers, Random random)
    {
        if (transfers.Count == 0) return null;
        var t = transfers[random.Next(transfers.Count)];
        var delta = random.Next(2) == 0 ? -1 - random.Next((int)Math.Max(1, list[t].Bytes - 1)) : 1 + random.Next(4096);
        if (list[t].Bytes + delta <= 0) return null;
        var changed = list[t];
        list[t] = changed with { Bytes = changed.Bytes + delta };
        return (s.WithInstructions(list), $"{Describe(changed)} now moves {changed.Bytes + delta} B");
    
    }

    private static (Schedule, string)? OffWindow(Machine machine, Schedule s, List<Instruction> list, Random random)
    {
        var windowed = Enumerable.Range(0, list.Count).Where(t => machine.StepOf(list[t], s.Tiles) is { HasWindow: true,
            Period: > 1 }).ToList();
        if (windowed.Count == 0) return null;
        var t = windowed[random.Next(windowed.Count)];
        var period = machine.StepOf(list[t], s.Tiles)!.Value.Period;
        var by = 1 + random.Next((int)Math.Min(period - 1, 1000));
        var moved = list[t];
        list[t] = moved.WithCycle(moved.Cycle + by);
        return (s.WithInstructions(list.OrderBy(x => x.Cycle).ToList()), $"{Describe(moved)} moved {by} cycles off its window");
    }

    private static (Schedule, string)? Collide(Machine machine, Schedule s, List<Instruction> list, Random random)
    {
        var byResource = Enumerable.Range(0, list.Count).GroupBy(i => HeldInMemory(machine, s, list[i]))
            .Where(g => g.Key >= 0 && g.Count() > 1).ToList();
        if (byResource.Count == 0) return null;
        var group = byResource[random.Next(byResource.Count)].ToList();
        var (a, b) = (group[random.Next(group.Count)], group[random.Next(group.Count)]);
        if (a == b || list[a].Cycle == list[b].Cycle) return null;
        var moved = list[b];
        list[b] = moved.WithCycle(list[a].Cycle);
        var shared = machine.Resources[byResource.First(g => g.Contains(a)).Key].Name;
        return (s.WithInstructions(list.OrderBy(x => x.Cycle).ToList()),
            $"{Describe(moved)} moved onto cycle {list[a].Cycle}, sharing {shared}");
    }

    /// <summary>The bank, die, channel or vault an instruction's step holds (machine-wide index), or -1.</summary>
    private static int HeldInMemory(Machine machine, Schedule s, Instruction ins)
    {
        if (machine.StepOf(ins, s.Tiles) is not { Resource: >= 0 } step) return -1;
        return machine.Holds(ins, step, s.Tiles)[^1].Resource;
    }

    private static (Schedule, string)? MoveRegion(Machine machine, Schedule s, Random random)
    {
        var tile = s.Tiles[random.Next(s.Tiles.Count)];
        var m = machine.MemoryIndex(tile.Memory);
        if (m < 0 || machine.Memories[m].Regions < 2) return null;
        var memory = machine.Memories[m];
        var region = memory.Region(tile.Address);
        var to = (region + 1 + random.Next(memory.Regions - 1)) % memory.Regions;
        var address = tile.Address + (to - region) * memory.RegionBytes;
        var tiles = s.Tiles.Select(t => t.Id == tile.Id ? t.WithAddress(address) : t).ToList();
        return (s.WithTiles(tiles), $"{tile.Name} moved from region {region} to {to} of {memory.Name}");
    }

    private static string Describe(Instruction i) => $"{i.Op.Mnemonic()} at cycle {i.Cycle} (line {i.Source.Line})";
}
