using Sched.Language.Binding;
using Sched.Language.Diagnostics;
using Sched.Runtime.Targets;

namespace Sched.Compiler.Placement;

/// <summary>
/// Spreads tensors placed on a group of chips over its chips in declaration order, each chip filled to 95% of its memory
/// (the rest is left for activations), so stacked layers form a pipeline; and picks the chip an operation runs on.
/// </summary>
internal sealed class Chips(BoundTarget target, DiagnosticBag diagnostics)
{
    private const double Fill = 0.95;
    private readonly Dictionary<string, (int Chip, long Used)> _fill = [];
    private readonly SortedDictionary<(string Tensor, string Group, int Chip), List<int>> _layersOnChip = [];

    /// <summary>The chip memory of each layer (one entry, layer 0, for a tensor that is not stacked); null if they do not fit.</summary>
    public IReadOnlyList<string>? Spread(TensorSymbol symbol, string group)
    {
        var chips = target.Groups[group];
        var bytes = symbol.Type.Dtype.Bytes(symbol.Type.Elements);
        var homes = new List<string>();
        for (var layer = 0; layer < Math.Max(1, symbol.Type.Layers); layer++)
        {
            var (chip, used) = _fill.GetValueOrDefault(group);
            while (chip < chips.Count
                && used + bytes > Fill * target.Machine.Memories[target.Machine.MemoryIndex(chips[chip].Memory)].Capacity)
                (chip, used) = (chip + 1, 0);
            if (chip == chips.Count)
            {
                diagnostics.ReportDoesNotFit(symbol.Span, $"the {chips.Count} chips of {group} cannot hold " +
                    $"{symbol.Name}{(symbol.Type.IsStacked ? $"[{layer}]" : "")}: add chips");
                return null;
            }
            _fill[group] = (chip, used + bytes);
            if (symbol.Type.IsStacked)
                (_layersOnChip.TryGetValue((symbol.Name, group, chip), out var span) ? span : _layersOnChip[(symbol.Name, group,
                    chip)] = []).Add(layer);
            homes.Add(chips[chip].Memory);
        }
        return homes;
    }

    /// <summary>What the compiler chose when it spread weights over chips, for the report.</summary>
    public IEnumerable<string> Notes => _layersOnChip.GroupBy(x => x.Key.Tensor).Select(g =>
        $"{g.Key}: " + string.Join(", ", g.Select(x => $"layers {x.Value.Min()}-{x.Value.Max()} on {x.Key.Group}[{x.Key.Chip}]")));

    /// <summary>
    /// On a group of chips an operation runs on the chip it is pinned to (<c>on lpu[k]</c>), else on the chip that holds its
    /// weight (the last operand resident on a chip), else on the chip of its first operand; its result stays there unless pinned
    /// elsewhere (<c>in lpu[k]</c>). Elsewhere it runs where it was placed.
    /// </summary>
    public static OperationPlace OnChip(BoundTarget target, OperationPlace place, IReadOnlyList<string> operandHomes, long? poolChip = null,
        long? memoryChip = null)
    {
        var memoryGroup = target.Groups.GetValueOrDefault(place.Memory);
        if (!target.Groups.TryGetValue(place.Pool, out var chips))
            return memoryGroup is null || memoryChip is null ? place : place with { Memory = memoryGroup[(int)memoryChip].Memory };
        var chip = poolChip is { } k ? chips[(int)k]
            : chips.FirstOrDefault(c => c.Memory == operandHomes[^1]) ?? chips.FirstOrDefault(c => c.Memory == operandHomes[0]) ?? chips[0];
        var memory = memoryGroup is null ? place.Memory : memoryChip is { } m ? memoryGroup[(int)m].Memory : chip.Memory;
        return new OperationPlace(chip.Pool, memory);
    }
}
