using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Execution;

/// <summary>
/// Replays a schedule event by event in cycle order (never cycle by cycle): it measures time and traffic and,
/// in functional mode, moves and computes the real tile values.
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
            var end = ins.Cycle + Timeline.Duration(machine, schedule.Tiles, ins);
            var tile = schedule.Tiles[ins.Result];
            switch (ins.Op)
            {
                case Opcode.Read:
                    cycles = Math.Max(cycles, end);
                    break;
                case Opcode.Load:
                    linkBusy[ins.Link] += end - ins.Cycle;
                    linkBytes[ins.Link] += ins.Bytes;
                    read[machine.MemoryIndex(tile.Memory)] += ins.Bytes;
                    cycles = Math.Max(cycles, end + machine.Links[ins.Link].Latency);
                    if (functional) buffers[(ins.Unit, tile.Id)] = memory.GetValueOrDefault(tile.Id) ?? Missing(tile);
                    break;
                case Opcode.Store:
                    linkBusy[ins.Link] += end - ins.Cycle;
                    linkBytes[ins.Link] += ins.Bytes;
                    var m = machine.MemoryIndex(tile.Memory);
                    written[m] += ins.Bytes;
                    cycles = Math.Max(cycles, end + machine.Links[ins.Link].Latency + machine.Memories[m].Latency);
                    if (functional) memory[tile.Id] = buffers.GetValueOrDefault((ins.Unit, tile.Id)) ?? Missing(tile);
                    break;
                default:
                    unitBusy[ins.Unit] += end - ins.Cycle;
                    cycles = Math.Max(cycles, end + machine.Units[ins.Unit].Latency);
                    if (functional) buffers[(ins.Unit, tile.Id)] = Compute(ins, schedule.Tiles, t => buffers.GetValueOrDefault((ins.Unit, t)) ?? Missing(schedule.Tiles[t]));
                    break;
            }
        }

        Dictionary<string, double[]>? outputs = null;
        if (functional)
        {
            outputs = new Dictionary<string, double[]>();
            foreach (var output in schedule.Outputs)
                outputs[output.Name] = Assemble(output, schedule.Tiles, memory);
        }
        return new Replay(cycles, unitBusy, linkBusy, linkBytes, read, written, outputs);
    }

    private static double[] Missing(Tile tile)
    {
        var values = new double[tile.Rows * tile.Cols];
        Array.Fill(values, double.NaN);
        return values;
    }

    private static double[] Seed(Tile tile)
    {
        var values = new double[tile.Rows * tile.Cols];
        for (var r = 0; r < tile.Rows; r++)
            for (var c = 0; c < tile.Cols; c++)
                values[r * tile.Cols + c] = InitialValues.Value(tile.Tensor, tile.Layer, r, tile.ColumnOffset + c);
        return values;
    }

    private static double[] Compute(Instruction ins, IReadOnlyList<Tile> tiles, Func<int, double[]> operand)
    {
        if (ins.Op == Opcode.Matmul)
        {
            var left = ins.Operands[..^1].Select(o => (operand(o), tiles[o].Cols)).ToArray();
            return Kernels.Matmul(left, operand(ins.Operands[^1]), ins.M, ins.K, ins.N);
        }
        var a = operand(ins.Operands[0]);
        var result = new double[a.Length];
        switch (ins.Op)
        {
            case Opcode.Silu:
                for (var i = 0; i < a.Length; i++) result[i] = Kernels.Silu(a[i]);
                break;
            case Opcode.Add:
            case Opcode.Mul:
                var b = operand(ins.Operands[1]);
                for (var i = 0; i < a.Length; i++) result[i] = ins.Op == Opcode.Add ? Kernels.Add(a[i], b[i]) : Kernels.Mul(a[i], b[i]);
                break;
        }
        return result;
    }

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
