using Sched.Compiler.Lowering;
using Sched.Language.Diagnostics;
using Sched.Runtime.Operations;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Compiler.Placement;

/// <summary>
/// Lays out each memory that is read in order (a delay line) in consumption order — the tile read first gets the first
/// slots — so that reading every weight once takes one revolution; then gives each step with a periodic window (a read
/// at the tap) its window, and makes the consumer of data that streams start within one more transfer time of it.
/// </summary>
public static class ReadingOrder
{
    /// <param name="declarationOrder">lay out by declaration instead (an experiment: it shows what the order is worth)</param>
    public static LoweredProgram? LayOut(Machine machine, LoweredProgram lowered, DiagnosticBag diagnostics, bool declarationOrder = false)
    {
        var tiles = lowered.Tiles.ToArray();
        var next = new Dictionary<string, long>();
        var placed = new HashSet<int>();
        // Views lie inside their parents, and a state a step hands the next never leaves its unit: neither takes slots.
        var stored = lowered.Instructions.Where(i => i.Op == Opcode.Store).Select(i => tiles[i.Result].Storage).ToHashSet();
        void Place(int tile)
        {
            var t = tiles[tile];
            if (t.IsView || !t.Resident && !stored.Contains(tile)) return;
            var memory = machine.Memories[machine.MemoryIndex(t.Memory)];
            if (!memory.InReadingOrder || !placed.Add(tile)) return;
            var at = next.GetValueOrDefault(t.Memory);
            tiles[tile] = t.WithAddress(at);
            next[t.Memory] = at + (t.Bytes + memory.Alignment - 1) / memory.Alignment * memory.Alignment;
        }
        if (!declarationOrder)
            foreach (var ins in lowered.Instructions)
                if (ins.Op == Opcode.Load) Place(tiles[ins.Result].Storage);
        for (var t = 0; t < tiles.Length; t++) Place(t);
        foreach (var view in tiles.Where(t => t.IsView && placed.Contains(t.Parent)).ToList())
            tiles[view.Id] = view.WithAddress(tiles[view.Parent].RowAddress(view.RowOffset));
        foreach (var (name, used) in next)
        {
            var memory = machine.Memories[machine.MemoryIndex(name)];
            if (used <= memory.Capacity) continue;
            var first = tiles.First(t => t.Memory == name);
            diagnostics.ReportDoesNotFit(lowered.TileOrigins[first.Id],
                $"{memory.Kind} {name} holds {memory.Capacity} B, but its tiles need {used} B");
            return null;
        }
        AddWindows(machine, lowered, tiles);
        return lowered with { Tiles = tiles };
    }

    private static void AddWindows(Machine machine, LoweredProgram lowered, Tile[] tiles)
    {
        var (problem, instructions) = (lowered.Problem, lowered.Instructions);
        var streamed = new HashSet<int>();
        for (var i = 0; i < instructions.Count; i++)
        {
            var ins = instructions[i];
            if (ins.Op.IsCompute() || machine.StepOf(ins, tiles) is not { } step) continue;
            if (step.HasWindow) problem.SetWindow(i, step.Period, step.Phase);
            if (ins.Op == Opcode.Load && machine.Memories[machine.MemoryIndex(tiles[ins.Result].Memory)].Streams) streamed.Add(i);
        }
        // Streamed data has nowhere to wait: its consumer starts within one more transfer time of its arrival (a double buffer).
        foreach (var d in problem.Dependences.ToList())
            if (streamed.Contains(d.From) && instructions[d.To].Op.IsCompute())
                problem.AddMaxLag(d.From, d.To, d.MinLag + problem.Durations[d.From]);
    }
}
