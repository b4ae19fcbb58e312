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
    private readonly Dictionary<string, int> _fill = [];                   // the chip each group's filling has reached
    private readonly Dictionary<(string Group, int Chip), long> _used = [];
    private readonly SortedDictionary<(string Tensor, string Group, int Chip), List<int>> _layersOnChip = [];
    private readonly SortedDictionary<string, string> _inTurn = new(StringComparer.Ordinal);   // tensor → its one-line note

    /// <summary>
    /// The chip memory of each layer (one entry, layer 0, for a tensor that is not stacked); null if they do not fit. Layers fill
    /// the chips in order, or with <c>in lpu[*]</c> go one a chip in turn (layer k on chip k mod n: a sharded weight).
    /// </summary>
    public IReadOnlyList<string>? Spread(TensorSymbol symbol, string group)
    {
        var chips = target.Groups[group];
        var bytes = symbol.Type.Dtype.Bytes(symbol.Type.Elements);
        var homes = new List<string>();
        double Room(int chip) => Fill * target.Machine.Memories[target.Machine.MemoryIndex(chips[chip].Memory)].Capacity;
        for (var layer = 0; layer < Math.Max(1, symbol.Type.Layers); layer++)
        {
            var chip = symbol.OneLayerEachChip ? layer % chips.Count : _fill.GetValueOrDefault(group);
            long Used(int c) => _used.GetValueOrDefault((group, c));
            if (!symbol.OneLayerEachChip)
                while (chip < chips.Count && Used(chip) + bytes > Room(chip)) chip++;
            var used = chip < chips.Count ? Used(chip) : 0;
            if (chip == chips.Count || used + bytes > Room(chip))
            {
                diagnostics.ReportDoesNotFit(symbol.Span, $"the {chips.Count} chips of {group} cannot hold " +
                    $"{symbol.Name}{(symbol.Type.IsStacked ? $"[{layer}]" : "")}: add chips");
                return null;
            }
            _used[(group, chip)] = used + bytes;
            if (!symbol.OneLayerEachChip) _fill[group] = chip;
            if (symbol.Type.IsStacked && symbol.OneLayerEachChip)
                _inTurn[symbol.Name] = symbol.Type.Layers <= chips.Count
                    ? $"{symbol.Name}: layer k on {group}[k] ({symbol.Type.Layers} layers)"
                    : $"{symbol.Name}: layer k on {group}[k mod {chips.Count}] ({symbol.Type.Layers} layers, one a chip in turn)";
            else if (symbol.Type.IsStacked)
                (_layersOnChip.TryGetValue((symbol.Name, group, chip), out var span) ? span : _layersOnChip[(symbol.Name, group,
                    chip)] = []).Add(layer);
            homes.Add(chips[chip].Memory);
        }
        return homes;
    }

    /// <summary>What the compiler chose when it spread weights over chips, for the report.</summary>
    public IEnumerable<string> Notes => _layersOnChip.GroupBy(x => x.Key.Tensor).Select(g =>
        $"{g.Key}: " + string.Join(", ", g.Select(x => $"{Layers(x.Value)} on {x.Key.Group}[{x.Key.Chip}]"))).Concat(_inTurn.Values);

    // "layers 0-12", or for layers a chip apart in turn "layers 0, 4, … 44" ("layer 3" for one).
    private static string Layers(List<int> layers) => layers.Count == 1 ? $"layer {layers[0]}"
        : layers[^1] - layers[0] == layers.Count - 1 ? $"layers {layers[0]}-{layers[^1]}"
        : layers.Count == 2 ? $"layers {layers[0]}, {layers[1]}" : $"layers {layers[0]}, {layers[1]}, … {layers[^1]}";

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
        // A block's operation is placed once for every call, so a call whose weights are on another group's chip runs there.
        var chip = poolChip is { } k ? chips[(int)k]
            : chips.FirstOrDefault(c => c.Memory == operandHomes[^1]) ?? ComputeChipOf(target, operandHomes[^1])
                ?? chips.FirstOrDefault(c => c.Memory == operandHomes[0]) ?? chips[0];
        var memory = memoryGroup is null ? place.Memory : memoryChip is { } m ? memoryGroup[(int)m].Memory : chip.Memory;
        return new OperationPlace(chip.Pool, memory);
    }

    // The chip of another group whose memory holds the weight, if it has units to run the operation.
    private static Chip? ComputeChipOf(BoundTarget target, string memory) =>
        target.Groups.Values.SelectMany(g => g).FirstOrDefault(c => c.Memory == memory) is { } chip
            && target.PoolUnits(chip.Pool).Count > 0 ? chip : null;
}
