using Sched.Runtime.Operations;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Execution;

/// <summary>
/// Replays a schedule event by event in cycle order (never cycle by cycle): it measures time and traffic and,
/// in functional mode, moves and computes the real tile values. Timing comes from each instruction's step.
/// </summary>
public static class Executor
{
    public static Replay Run(Machine machine, Schedule schedule, bool functional)
    {
        var unitBusy = new long[machine.Units.Count];
        var linkBusy = new long[machine.Links.Count];
        var linkBytes = new long[machine.Links.Count];
        var read = new long[machine.Memories.Count];
        var written = new long[machine.Memories.Count];
        var memory = new Dictionary<int, double[]>();
        var buffers = new Dictionary<(int Unit, int Tile), double[]>();
        if (functional)
            foreach (var tile in schedule.Tiles.Where(t => t.Resident))
                memory[tile.Id] = Seed(tile);

        var cycles = 0L;
        foreach (var ins in Timeline.InCycleOrder(schedule.Instructions))
        {
            // An instruction the machine has no step for is malformed: the verifier names it, replay passes over it.
            if (machine.StepOf(ins, schedule.Tiles) is not { } step) continue;
            var end = ins.Cycle + step.Duration;
            cycles = Math.Max(cycles, end + step.After);
            var tile = schedule.Tiles[ins.Result];
            if (ins.Op.IsCompute())
            {
                unitBusy[ins.Unit] += step.Duration;
                if (functional) buffers[(ins.Unit, tile.Id)] = Compute(ins, schedule.Tiles, t => buffers.GetValueOrDefault((ins.Unit, t)));
                continue;
            }
            if (!ins.Op.IsTransfer()) continue;
            // In slice-cycles here (small transfers share a lane's cycle), in lane-cycles below.
            linkBusy[ins.Link] += step.Duration * machine.Links[ins.Link].SlicesFor(step.Bytes);
            linkBytes[ins.Link] += ins.Bytes;
            var m = machine.MemoryIndex(tile.Memory);
            if (ins.Op == Opcode.Load)
            {
                read[m] += ins.Bytes;
                if (functional) buffers[(ins.Unit, tile.Id)] = Rows(memory.GetValueOrDefault(tile.Storage), tile) ?? Missing(tile);
            }
            else
            {
                written[m] += ins.Bytes;
                if (!functional) continue;
                var values = buffers.GetValueOrDefault((ins.Unit, tile.Id)) ?? Missing(tile);
                if (!tile.IsView) memory[tile.Id] = values;
                else   // rows of a tile made in pieces
                {
                    var parent = schedule.Tiles[tile.Parent];
                    var whole = memory.TryGetValue(parent.Id, out var held) ? held : memory[parent.Id] = Missing(parent);
                    values.AsSpan(0, Math.Min(values.Length, tile.Rows * tile.Cols)).CopyTo(whole.AsSpan(tile.RowOffset * tile.Cols));
                }
            }
        }

        Dictionary<string, double[]>? outputs = null;
        if (functional)
        {
            outputs = new Dictionary<string, double[]>();
            foreach (var output in schedule.Outputs)
                outputs[output.Name] = Assemble(output, schedule.Tiles, memory);
        }
        for (var l = 0; l < linkBusy.Length; l++) linkBusy[l] = (linkBusy[l] + machine.Links[l].Slices - 1) / machine.Links[l].Slices;
        return new Replay(cycles, unitBusy, linkBusy, linkBytes, read, written, outputs);
    }

    private static double[] Missing(Tile tile)
    {
        var values = new double[tile.Rows * tile.Cols];
        Array.Fill(values, double.NaN);
        return values;
    }

    /// <summary>What a load of the tile brings from its storage's values: all of them, or a view's rows.</summary>
    private static double[]? Rows(double[]? stored, Tile tile) =>
        stored is null || !tile.IsView ? stored : stored[(tile.RowOffset * tile.Cols)..((tile.RowOffset + tile.Rows) * tile.Cols)];

    private static double[] Seed(Tile tile)
    {
        var values = new double[tile.Rows * tile.Cols];
        for (var r = 0; r < tile.Rows; r++)
            for (var c = 0; c < tile.Cols; c++)
                values[r * tile.Cols + c] = InitialValues.Value(tile.Tensor, tile.Layer, r, tile.ColumnOffset + c);
        return values;
    }

    private static double[] Compute(Instruction ins, IReadOnlyList<Tile> tiles, Func<int, double[]?> operand) =>
        OperationCatalogue.Of(ins.Op).Kernel(ins, ins.Operands.Select(o => (operand(o) ?? Missing(tiles[o]), tiles[o].Cols)).ToArray());

    private static double[] Assemble(OutputTensor output, IReadOnlyList<Tile> tiles, Dictionary<int, double[]> memory)
    {
        var values = new double[output.Rows * output.Cols];
        foreach (var id in output.Tiles)
        {
            var tile = tiles[id];
            var tileValues = memory.GetValueOrDefault(id) ?? Missing(tile);
            for (var r = 0; r < tile.Rows; r++)
                for (var c = 0; c < tile.Cols; c++)
                    values[r * output.Cols + tile.ColumnOffset + c] = tileValues[r * tile.Cols + c];
        }
        return values;
    }
}
