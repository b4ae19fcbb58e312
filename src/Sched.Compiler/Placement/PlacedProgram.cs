using Sched.Language.Binding;

namespace Sched.Compiler.Placement;

/// <summary>Where an operation runs (a pool of units, or a group of chips) and the memory its result goes to.</summary>
public readonly record struct OperationPlace(string Pool, string Memory);

/// <summary>
/// A bound program with every placement decided: the memory of each tensor (and of each layer of a stacked weight spread
/// over chips), the pool and result memory of each operation, and notes that say what the compiler chose.
/// </summary>
public sealed record PlacedProgram(
    BoundProgram Program,
    IReadOnlyDictionary<TensorSymbol, string> Homes,
    IReadOnlyDictionary<(TensorSymbol Tensor, int Layer), string> Layers,
    IReadOnlyDictionary<BoundOperation, OperationPlace> Operations,
    IReadOnlyList<string> Notes)
{
    /// <summary>The memory a resident tensor, or one layer of it, lives in.</summary>
    public string HomeOf(TensorSymbol tensor, int layer) => Layers.TryGetValue((tensor, layer), out var chip) ? chip : Homes[tensor];

    public OperationPlace Of(BoundOperation op) => Operations[op];
}
