using Sched.Compiler.Lowering;
using Sched.Language.Diagnostics;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Compiler.Allocation;

/// <summary>
/// Gives every tile an address by lifetime, first fit: a tile lives from the store that writes it (cycle 0 for
/// inputs and weights) to the end of its last load (to the end for outputs and resident tiles), and no two live
/// tiles of one memory overlap. The verifier derives the same lifetimes from the instructions on its own.
/// </summary>
public static class MemoryAllocator
{
    public static Tile[]? Allocate(Machine machine, LoweredProgram lowered, IReadOnlyList<long> starts, DiagnosticBag diagnostics)
    {
        var (from, to, written) = Lifetimes(lowered, starts);
        var result = lowered.Tiles.ToArray();
        // A memory with regions (banks, dies, vaults) is allocated region by region: each tile stays inside the region
        // lowering chose for it (its provisional address is the region's start).
        var home = lowered.Tiles.Select(t => machine.Memories[machine.MemoryIndex(t.Memory)]).ToArray();
        foreach (var group in lowered.Tiles.Where(t => t.Resident || written[t.Id]).GroupBy(t => (t.Memory,
            Region: home[t.Id].Region(t.Address))))
        {
            var memory = home[group.First().Id];
            if (memory.InReadingOrder) continue;   // laid out in reading order by placement
            var start = group.Key.Region * memory.RegionBytes;
            var limit = memory.Regions > 1 ? start + memory.RegionBytes : memory.Capacity;
            var where = memory.Regions > 1 ? $"{memory.Name} region {group.Key.Region} [{start}, {limit})" : $"{memory.Name}";
            if (!AllocateRegion(group.ToList(), start, limit, where, from, to, result, lowered, diagnostics)) return null;
        }
        // A view lies where its rows of its parent do.
        foreach (var view in result.Where(t => t.IsView).ToList())
            result[view.Id] = view.WithAddress(result[view.Parent].RowAddress(view.RowOffset));
        return result;
    }

    /// <summary>
    /// A tile lives from the store that writes it (cycle 0 for inputs and weights) to the end of its last load (to the end
    /// for outputs and resident tiles).
    /// </summary>
    private static (long[] From, long[] To, bool[] Written) Lifetimes(LoweredProgram lowered, IReadOnlyList<long> starts)
    {
        var (problem, tiles) = (lowered.Problem, lowered.Tiles);
        var makespan = problem.Makespan(starts);
        var from = new long[tiles.Count];
        var to = new long[tiles.Count];
        var written = new bool[tiles.Count];
        for (var i = 0; i < lowered.Instructions.Count; i++)
        {
            var ins = lowered.Instructions[i];
            var stored = tiles[ins.Result].Storage;   // a store of rows writes its parent
            if (ins.Op == Opcode.Store && (!written[stored] || starts[i] < from[stored]))
            {
                from[stored] = starts[i];
                written[stored] = true;
            }
            else if (ins.Op == Opcode.Load)
                to[tiles[ins.Result].Storage] = Math.Max(to[tiles[ins.Result].Storage], starts[i] + problem.Durations[i]);
        }
        var outputs = lowered.Outputs.SelectMany(o => o.Tiles).ToHashSet();
        foreach (var t in tiles)
        {
            if (t.Resident) from[t.Id] = 0;
            to[t.Id] = t.Resident || outputs.Contains(t.Id) ? Math.Max(makespan, from[t.Id] + 1) : Math.Max(to[t.Id], from[t.Id] + 1);
        }
        return (from, to, written);
    }

    /// <summary>Resident tiles live throughout: stack them from the start, then fit the rest above them by lifetime, first fit.</summary>
    private static bool AllocateRegion(List<Tile> group, long start, long limit, string where, long[] from, long[] to, Tile[] result,
        LoweredProgram lowered, DiagnosticBag diagnostics)
    {
        var floor = start;
        foreach (var tile in group.Where(t => t.Resident).OrderBy(t => t.Id))
        {
            if (floor + tile.Bytes > limit)
            {
                diagnostics.ReportDoesNotFit(lowered.TileOrigins[tile.Id], $"{where} holds {limit - start} B, but the inputs and weights " +
                    $"resident in it need more: {tile.Name} ({tile.Bytes} B) would end at {floor + tile.Bytes}");
                return false;
            }
            result[tile.Id] = tile.WithAddress(floor);
            floor += tile.Bytes;
        }
        var live = new List<(long Address, long Bytes, long To)>();   // kept in address order
        foreach (var tile in group.Where(t => !t.Resident).OrderBy(t => from[t.Id]).ThenBy(t => t.Id))
        {
            live.RemoveAll(l => l.To <= from[tile.Id]);
            var address = floor;
            var at = 0;
            for (; at < live.Count; at++)
            {
                if (live[at].Address - address >= tile.Bytes) break;
                address = Math.Max(address, live[at].Address + live[at].Bytes);
            }
            if (address + tile.Bytes > limit)
            {
                diagnostics.ReportDoesNotFit(lowered.TileOrigins[tile.Id],
                    $"{where} holds {limit - start} B, but at cycle {from[tile.Id]} " +
                    $"{tile.Name} ({tile.Bytes} B) needs [{address}, {address + tile.Bytes}) beside {live.Sum(l => l.Bytes)} B of live "
                    + "tiles");
                return false;
            }
            live.Insert(at, (address, tile.Bytes, to[tile.Id]));
            result[tile.Id] = tile.WithAddress(address);
        }
        return true;
    }
}
