using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Verification;

/// <summary>The ways fault injection breaks a valid schedule.</summary>
public enum Mutation { ShiftEarlier, ShiftLater, MoveToAnotherUnit, DropTransfer, DuplicateTransfer, OverlapAddresses, ChangeByteCount, FiberOffPhase }

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
            {
                if (transfers.Count == 0) return null;
                var t = transfers[random.Next(transfers.Count)];
                var dropped = list[t];
                list.RemoveAt(t);
                return (s.WithInstructions(list), $"{Describe(dropped)} dropped");
            }
            case Mutation.DuplicateTransfer:
            {
                if (transfers.Count == 0) return null;
                var t = transfers[random.Next(transfers.Count)];
                var copy = list[t].WithCycle(list[t].Cycle + random.Next(4));
                list.Insert(t + 1, copy);
                return (s.WithInstructions(list.OrderBy(x => x.Cycle).ToList()), $"{Describe(list[t])} duplicated at cycle {copy.Cycle}");
            }
            case Mutation.OverlapAddresses:
            {
                var a = s.Tiles[random.Next(s.Tiles.Count)];
                var others = s.Tiles.Where(t => t.Memory == a.Memory && t.Id != a.Id && t.Address != a.Address).ToList();
                if (others.Count == 0) return null;
                var b = others[random.Next(others.Count)];
                var tiles = s.Tiles.Select(t => t.Id == a.Id ? t.WithAddress(b.Address) : t).ToList();
                return (s.WithTiles(tiles), $"{a.Name} moved onto {b.Name}'s address {b.Address}");
            }
            case Mutation.FiberOffPhase:
            {
                var reads = transfers.Where(t => list[t].Op == Opcode.Load
                    && machine.MemoryIndex(s.Tiles[list[t].Result].Memory) is var m && m >= 0 && machine.Memories[m].IsFiber).ToList();
                if (reads.Count == 0) return null;
                var t = reads[random.Next(reads.Count)];
                var period = machine.Memories[machine.MemoryIndex(s.Tiles[list[t].Result].Memory)].Period;
                if (period < 2) return null;
                var by = 1 + random.Next((int)Math.Min(period - 1, 1000));
                var moved = list[t];
                list[t] = moved.WithCycle(moved.Cycle + by);
                return (s.WithInstructions(list.OrderBy(x => x.Cycle).ToList()), $"fibre {Describe(moved)} moved {by} cycles off its phase");
            }
            case Mutation.ChangeByteCount:
            {
                if (transfers.Count == 0) return null;
                var t = transfers[random.Next(transfers.Count)];
                var delta = random.Next(2) == 0 ? -1 - random.Next((int)Math.Max(1, list[t].Bytes - 1)) : 1 + random.Next(4096);
                if (list[t].Bytes + delta <= 0) return null;
                var changed = list[t];
                list[t] = changed with { Bytes = changed.Bytes + delta };
                return (s.WithInstructions(list), $"{Describe(changed)} now moves {changed.Bytes + delta} B");
            }
        }
        return null;
    }

    private static string Describe(Instruction i) => $"{i.Op.Mnemonic()} at cycle {i.Cycle} (line {i.Source.Line})";
}
