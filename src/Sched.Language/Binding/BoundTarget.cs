using Sched.Runtime.Targets;

namespace Sched.Language.Binding;

/// <summary>One chip of a multi-chip group: its memory and its pool of units.</summary>
public sealed record Chip(string Memory, string Pool);

/// <summary>
/// A bound target: the machine model, the tile width tensors are cut into, and its pools of units. A group of
/// chips (<c>chip lpu[4] : groq.lpu;</c>) is named in placements like one memory or pool; lowering spreads work over it.
/// </summary>
public sealed record BoundTarget(Machine Machine, int TileWidth)
{
    public IReadOnlyDictionary<string, IReadOnlyList<Chip>> Groups { get; init; } = new Dictionary<string, IReadOnlyList<Chip>>();

    /// <summary>The named parameters a measured preset adds to its floor, each with its source, for the report.</summary>
    public IReadOnlyList<string> Overheads { get; init; } = [];

    public bool IsGroup(string name) => Groups.ContainsKey(name);

    public IEnumerable<string> Pools => Machine.Units.Select(u => u.Pool).Distinct();

    public IReadOnlyList<int> PoolUnits(string pool) =>
        Enumerable.Range(0, Machine.Units.Count).Where(i => Machine.Units[i].Pool == pool).ToList();
}
