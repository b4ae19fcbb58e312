namespace Sched.Runtime.Targets;

/// <summary>A hardware target: one clock, its memories, its compute units (pools expanded to instances) and links.</summary>
public sealed class Machine
{
    public Machine(string name, double clockHz, IReadOnlyList<Memory> memories, IReadOnlyList<ComputeUnit> units, IReadOnlyList<Link> links)
    {
        Name = name;
        ClockHz = clockHz;
        Memories = memories;
        Units = units;
        Links = links;
    }

    public string Name { get; }
    public double ClockHz { get; }
    public IReadOnlyList<Memory> Memories { get; }
    public IReadOnlyList<ComputeUnit> Units { get; }
    public IReadOnlyList<Link> Links { get; }

    public double Seconds(long cycles) => cycles / ClockHz;

    public IReadOnlySet<string> UnitNames => _unitNames ??= Units.Select(u => u.Name).ToHashSet();
    private HashSet<string>? _unitNames;

    public int MemoryIndex(string name) => IndexOf(Memories, m => m.Name == name);

    /// <summary>The link from <paramref name="from"/> to <paramref name="to"/>, or -1.</summary>
    public int LinkIndex(string from, string to) => IndexOf(Links, l => l.From == from && l.To == to);

    private static int IndexOf<T>(IReadOnlyList<T> items, Func<T, bool> match)
    {
        for (var i = 0; i < items.Count; i++)
            if (match(items[i])) return i;
        return -1;
    }
}
