using Sched.Runtime.Operations;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;
using Sched.Runtime.Targets.Kinds;

namespace Sched.Runtime.Verification;

/// <summary>Whether an instruction names things the machine and schedule have, in a way its step allows.</summary>
internal static class Malformed
{
    /// <summary>What is wrong with the instruction, or null (then <paramref name="step"/> is its step).</summary>
    public static string? Problem(Machine machine, Schedule schedule, Instruction ins, out Step step)
    {
        step = default;
        var tiles = schedule.Tiles;
        if (ins.Cycle < 0) return "issued at a negative cycle";
        if (ins.Unit < 0 || ins.Unit >= machine.Units.Count) return $"names unit #{ins.Unit}, which the target does not have";
        if (ins.Result < 0 || ins.Result >= tiles.Count || !Array.TrueForAll(ins.Operands, o => o >= 0 && o < tiles.Count))
            return "names a tile the schedule does not have";
        var tile = tiles[ins.Result];
        if (tile.ViewProblem(tiles) is { } view) return view;
        if ((ins.Op == Opcode.Store || ins.Op.IsCompute()) && tile.IsView && tiles[tile.Parent].Resident)
            return $"{ins.Op.Mnemonic()} writes {tile.Name}, rows of an input or weight";
        if (ins.Op.IsCompute())
        {
            var operation = OperationCatalogue.Of(ins.Op);
            if (!operation.Fits(ins, ins.Operands.Select(o => tiles[o]).ToArray(), tile))
                return $"{ins.Op.Mnemonic()} {ins.M}×{ins.K}×{ins.N} does not match the shapes of its tiles";
        }
        else if (machine.MemoryIndex(tile.Memory) < 0) return $"names {tile.Name} in {tile.Memory}, a memory the target does not have";
        else if (ins.Op.IsTransfer() && Ends(machine, ins, tile) is { } ends) return ends;
        if (machine.StepOf(ins, tiles) is not { } found)
            return $"{ins.Op.Mnemonic()} of {tile.Name} is not a step {tile.Memory} takes" +
                (machine.Memories[machine.MemoryIndex(tile.Memory)].NotWritable is { } why ? $": {why}" : "");
        step = found;
        if (!ins.Op.IsCompute() && ins.Bytes != step.Bytes)
            return $"{ins.Op.Mnemonic()} names {ins.Bytes} B of {tile.Name}, but the step moves {step.Bytes} B";
        return null;
    }

    /// <summary>A load runs over a link from the tile's memory to the unit, a store the other way.</summary>
    private static string? Ends(Machine machine, Instruction ins, Tile tile)
    {
        if (ins.Link < 0 || ins.Link >= machine.Links.Count) return $"names link #{ins.Link}, which the target does not have";
        var link = machine.Links[ins.Link];
        var unit = machine.Units[ins.Unit].Name;
        if (ins.Op == Opcode.Load && (link.From != tile.Memory || link.To != unit))
            return $"loads {tile.Name} over {link.Name}, which does not run from {tile.Memory} to {unit}";
        if (ins.Op == Opcode.Store && (link.From != unit || link.To != tile.Memory))
            return $"stores {tile.Name} over {link.Name}, which does not run from {unit} to {tile.Memory}";
        return null;
    }

    public static string Where(Machine machine, Instruction ins) =>
        ins.Link >= 0 && ins.Link < machine.Links.Count ? machine.Links[ins.Link].Name
        : ins.Unit >= 0 && ins.Unit < machine.Units.Count ? machine.Units[ins.Unit].Name
        : $"unit #{ins.Unit}";
}
