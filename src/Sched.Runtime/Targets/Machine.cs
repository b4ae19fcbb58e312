using Sched.Runtime.Operations;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets.Kinds;
using Sched.Runtime.Verification;

namespace Sched.Runtime.Targets;

/// <summary>
/// A hardware target: one clock, its memories, its compute units (pools expanded to instances), links and chip-to-chip channels,
/// and the resources they make: each unit, each link (its lanes), each memory's banks, dies, channels or vaults, then each
/// chip-to-chip channel.
/// </summary>
public sealed class Machine
{
    private readonly int[] _memoryResourceBase;
    private readonly int _channelBase;
    private readonly Dictionary<string, int> _memoryIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<(string From, string To), int> _linkIndex = [];

    /// <param name="networks">groups of chips whose routes add channels and links (after <paramref name="links"/>)</param>
    public Machine(string name, double clockHz, IReadOnlyList<Memory> memories, IReadOnlyList<ComputeUnit> units, IReadOnlyList<Link> links,
        IReadOnlyList<Network>? networks = null)
    {
        Name = name;
        ClockHz = clockHz;
        Memories = memories;
        Units = units;
        DeclaredLinks = links;
        Networks = networks ?? [];
        var channels = new List<Channel>();
        var all = links.ToList();
        foreach (var network in Networks)
        {
            all.AddRange(network.Links(units, channels.Count));
            channels.AddRange(network.Channels);
        }
        Links = all;
        Channels = channels;
        for (var l = 0; l < Links.Count; l++) _linkIndex.TryAdd((Links[l].From, Links[l].To), l);
        var resources = units.Select(u => u.Resource).Concat(Links.Select(l => l.Resource)).ToList();
        _memoryResourceBase = new int[memories.Count];
        for (var m = 0; m < memories.Count; m++)
        {
            _memoryResourceBase[m] = resources.Count;
            resources.AddRange(memories[m].Resources.Select(r => r with { Name = $"{memories[m].Name}.{r.Name}" }));
            _memoryIndex.TryAdd(memories[m].Name, m);
        }
        _channelBase = resources.Count;
        resources.AddRange(Channels.Select(c => c.Resource));
        Resources = resources;
    }

    public string Name { get; }
    public double ClockHz { get; }
    public IReadOnlyList<Memory> Memories { get; }
    public IReadOnlyList<ComputeUnit> Units { get; }
    /// <summary>Every link: those declared, then those of the networks' routes.</summary>
    public IReadOnlyList<Link> Links { get; }
    public IReadOnlyList<Link> DeclaredLinks { get; }
    public IReadOnlyList<Network> Networks { get; }
    public IReadOnlyList<Channel> Channels { get; }

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
    public int LinkIndex(string from, string to) => _linkIndex.TryGetValue((from, to), out var l) ? l : -1;

    public int ChannelResource(int channel) => _channelBase + channel;

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
            var result = tiles[ins.Result];
            var flops = OperationCatalogue.Of(ins.Op).Flops(ins.M, ins.K, ins.N, ins.Args);
            return new Step(ins.Op, unit.ComputeCycles(flops, ins.Dtype, ins.Dtype.Bytes((long)result.Rows * result.Cols)), 0, -1,
                unit.Latency);
        }
        var tile = tiles[ins.Result];
        var memory = MemoryIndex(tile.Memory);
        if (memory < 0) return null;
        var link = ins.Link >= 0 && ins.Link < Links.Count ? Links[ins.Link] : null;
        return Memories[memory].Plan(ins.Op, tile, link);
    }

    /// <summary>
    /// The machine-wide resources a step holds and how much of each: its unit (compute); its link's lane and every channel of the
    /// link's route, each the slices its bytes need (transfer); its memory resource last (a bank, die, channel or vault), if any.
    /// </summary>
    public (int Resource, int Amount)[] Holds(Instruction ins, Step step, IReadOnlyList<Tile> tiles)
    {
        if (ins.Op.IsCompute()) return [(UnitResource(ins.Unit), 1)];
        var memory = step.Resource >= 0 ? MemoryResource(MemoryIndex(tiles[ins.Result].Memory), step.Resource) : -1;
        if (!ins.Op.IsTransfer()) return memory >= 0 ? [(memory, 1)] : [];
        var link = Links[ins.Link];
        var held = new (int, int)[1 + link.Route.Count + (memory >= 0 ? 1 : 0)];
        held[0] = (LinkResource(ins.Link), link.SlicesFor(step.Bytes));
        for (var h = 0; h < link.Route.Count; h++)
            held[1 + h] = (ChannelResource(link.Route[h]), Link.Share(step.Bytes, Channels[link.Route[h]].BytesPerCycle));
        if (memory >= 0) held[^1] = (memory, 1);
        return held;
    }
}
