using System.Reflection;

namespace Sched.Runtime.Targets.Kinds;

/// <summary>
/// How a memory technology is declared: its keywords, its properties and how to build it from their values. One
/// subclass per kind, beside its memory class; <see cref="MemoryKinds"/> finds them all, so adding a kind is one file.
/// </summary>
public abstract class MemoryKind
{
    public abstract IReadOnlyList<string> Keywords { get; }
    public abstract IReadOnlyList<Property> Properties { get; }

    /// <summary>Builds the memory; throws <see cref="InvalidComponentException"/> when the values make no machine.</summary>
    public abstract Memory Create(string name, Values values, double clockHz, Declaration declared);

    /// <summary>
    /// What the declaration adds to the machine: the memory and, for kinds with their own compute (processing near
    /// memory), units and links. Units and links are named from <paramref name="name"/>.
    /// </summary>
    public virtual Parts Declare(string name, Values values, double clockHz, Declaration declared) =>
        new([Create(name, values, clockHz, declared)], [], []);
}

/// <summary>The components one declaration adds to a machine.</summary>
public sealed record Parts(IReadOnlyList<Memory> Memories, IReadOnlyList<ComputeUnit> Units, IReadOnlyList<Link> Links);

/// <summary>Every memory kind in this assembly, by keyword (found by reflection, so a new kind needs no list edited).</summary>
public static class MemoryKinds
{
    public static IReadOnlyList<MemoryKind> All { get; } = typeof(MemoryKind).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(MemoryKind)) && !t.IsAbstract)
        .Select(t => (MemoryKind)Activator.CreateInstance(t)!)
        .OrderBy(k => k.Keywords[0], StringComparer.Ordinal).ToArray();

    public static IEnumerable<string> Keywords => All.SelectMany(k => k.Keywords);

    public static MemoryKind? Find(string keyword) => All.FirstOrDefault(k => k.Keywords.Contains(keyword));

    /// <summary>Builds a memory of <paramref name="kind"/> from values in base units; missing values take the schema's defaults.</summary>
    public static Memory Create(string kind, string name, double clockHz, params (string Name, double Value)[] values) =>
        Declare(kind, name, clockHz, values).Memories[0];

    /// <summary>The same from parallel arrays: what generated code calls to rebuild a memory.</summary>
    public static Memory Create(string kind, string name, double clockHz, string[] names, double[] values) =>
        Declare(kind, name, clockHz, names.Zip(values).ToArray()).Memories[0];

    public static Parts Declare(string kind, string name, double clockHz, IReadOnlyList<(string Name, double Value)> values)
    {
        var definition = Find(kind) ?? throw new ArgumentException($"no memory kind '{kind}'", nameof(kind));
        var all = values.ToDictionary(v => v.Name, v => v.Value);
        foreach (var p in definition.Properties)
            if (p.Default is { } d) all.TryAdd(p.Name, d);
        var declared = new Declaration(kind, clockHz, values.ToArray());
        return definition.Declare(name, new Values(all), clockHz, declared);
    }
}
