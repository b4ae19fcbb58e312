using Sched.Runtime.Operations;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets.Kinds;
using Sched.Runtime.Verification;

namespace Sched.Runtime.Targets;

/// <summary>
/// A hardware target: one clock, its memories, its compute units (pools expanded to instances) and links, and the
/// resources they make: each unit, each link (its lanes), then each memory's banks, dies, channels or vaults.
/// </summary>
public sealed class Machine
{
    private readonly int[] _memoryResourceBase;
    private readonly Dictionary<string, int> _memoryIndex = new(StringComparer.Ordinal);

    public Machine(string name, double clockHz, IReadOnlyList<Memory> memories, IReadOnlyList<ComputeUnit> units, IReadOnlyList<Link> links)
    {
        Name = name;
        ClockHz = clockHz;
        Memories = memories;
        Units = units;
        Links = links;
        var resources = units.Select(u => u.Resource).Concat(links.Select(l => l.Resource)).ToList();
        _memoryResourceBase = new int[memories.Count];
        for (var m = 0; m < memories.Count; m++)
        {
            _memoryResourceBase[m] = resources.Count;
            resources.AddRange(memories[m].Resources.Select(r => r with { Name = $"{memories[m].Name}.{r.Name}" }));
            _memoryIndex.TryAdd(memories[m].Name, m);
        }
        Resources = resources;
    }

    public string Name { get; }
    public double ClockHz { get; }
    public IReadOnlyList<Memory> Memories { get; }
    public IReadOnlyList<ComputeUnit> Units { get; }
    public IReadOnlyList<Link> Links { get; }

    /// <summary>
    /// Everything that serves a bounded number of steps at a time, with memories' resources named NAME.bank[i] and so on.
    /// </summary>
    public IReadOnlyList<Resource> Resources { get; }

    public double Seconds(long cycles) => cycles / ClockHz;

    public IReadOnlySet<string> UnitNames => _unitNames ??= Units.Select(u => u.Name).ToHashSet();
    private HashSet<string>? _unitNames;

    public int MemoryIndex(string name) => _memoryIndex.TryGetValue(name, out var m) ? m : -1;

    public int UnitResource(int unit) => unit;
    public int LinkResource(int link) => Units.Count + link;

    /// <summary>The machine-wide index of resource <paramref name="local"/> of memory <paramref name="memory"/>.</summary>
    public int MemoryResource(int memory, int local) => _memoryResourceBase[memory] + local;

    /// <summary>The link from <paramref name="from"/> to <paramref name="to"/>, or -1.</summary>
    public int LinkIndex(string from, string to) => IndexOf(Links, l => l.From == from && l.To == to);

    /// <summary>
    /// The step an instruction takes, from its memory's or unit's rules alone, or null when the machine has no such step
    /// (a memory that does not do that kind of access, a unit or link it lacks). Compute is one step on its unit.
    /// </summary>
    public Step? StepOf(Instruction ins, IReadOnlyList<Tile> tiles)
    {
        if (ins.Unit < 0 || ins.Unit >= Units.Count || ins.Result < 0 || ins.Result >= tiles.Count) return null;
        if (ins.Op.IsCompute())
        {
            var unit = Units[ins.Unit];
            return new Step(ins.Op, unit.ComputeCycles(OperationCatalogue.Of(ins.Op).Flops(ins.M, ins.K, ins.N, ins.Args), ins.Dtype),
                0, -1,
                unit.Latency);
        }
        var tile = tiles[ins.Result];
        var memory = MemoryIndex(tile.Memory);
        if (memory < 0) return null;
        var link = ins.Link >= 0 && ins.Link < Links.Count ? Links[ins.Link] : null;
        return Memories[memory].Plan(ins.Op, tile, link);
    }

    /// <summary>The machine-wide resources a step holds: its unit (compute), its link's lane (transfer) and its memory resource.</summary>
    public (int First, int Second) Holds(Instruction ins, Step step, IReadOnlyList<Tile> tiles)
    {
        if (ins.Op.IsCompute()) return (UnitResource(ins.Unit), -1);
        var first = ins.Op.IsTransfer() ? LinkResource(ins.Link) : -1;
        var second = step.Resource >= 0 ? MemoryResource(MemoryIndex(tiles[ins.Result].Memory), step.Resource) : -1;
        return first >= 0 ? (first, second) : (second, -1);
    }

    private static int IndexOf<T>(IReadOnlyList<T> items, Func<T, bool> match)
    {
        for (var i = 0; i < items.Count; i++)
            if (match(items[i])) return i;
        return -1;
    }
}
