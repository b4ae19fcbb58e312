using Sched.Runtime.Targets;

namespace Sched.Language.Binding;

/// <summary>A bound target: the machine model, the tile width tensors are cut into, and its pools of units.</summary>
public sealed record BoundTarget(Machine Machine, int TileWidth)
{
    public IEnumerable<string> Pools => Machine.Units.Select(u => u.Pool).Distinct();

    public IReadOnlyList<int> PoolUnits(string pool) =>
        Enumerable.Range(0, Machine.Units.Count).Where(i => Machine.Units[i].Pool == pool).ToList();
}
