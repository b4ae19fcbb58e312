using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Execution;

/// <summary>How long an instruction holds its unit or lane, and how long until its data is usable, from the machine model alone.</summary>
public static class Timeline
{
    public static long Duration(Machine machine, IReadOnlyList<Tile> tiles, Instruction ins)
    {
        if (ins.Op == Opcode.Read)
        {
            var flash = machine.Memories[machine.MemoryIndex(tiles[ins.Result].Memory)];
            return Math.Max(1, flash.Pages(tiles[ins.Result].Bytes) * flash.ReadCycles);
        }
        if (!ins.Op.IsTransfer()) return machine.Units[ins.Unit].ComputeCycles(ins.Op.Flops(ins.M, ins.K, ins.N), ins.Dtype);
        var link = machine.Links[ins.Link].TransferCycles(ins.Bytes);
        var home = machine.MemoryIndex(tiles[ins.Result].Memory);
        if (ins.Op != Opcode.Load || home < 0 || !machine.Memories[home].IsFlash) return link;
        // From flash the pages also cross the die's channel: the slower of the two sets the pace.
        var memory = machine.Memories[home];
        return Math.Max(link, Targets.Cycle.Ceiling(memory.Pages(ins.Bytes) * memory.PageBytes / memory.ChannelBytesPerCycle));
    }

    /// <summary>Instructions sorted by cycle; ties keep their schedule order, so replay is deterministic.</summary>
    public static Instruction[] InCycleOrder(IReadOnlyList<Instruction> instructions)
    {
        var order = instructions.ToArray();
        var index = Enumerable.Range(0, order.Length).ToArray();
        var keys = order.Select(i => i.Cycle).ToArray();
        Array.Sort(keys, index);
        // Array.Sort is not stable; re-sort each run of equal cycles by original index.
        var start = 0;
        for (var i = 1; i <= index.Length; i++)
            if (i == index.Length || keys[i] != keys[start]) { Array.Sort(index, start, i - start); start = i; }
        return index.Select(i => order[i]).ToArray();
    }
}
