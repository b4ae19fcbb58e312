using Sched.Runtime.Targets;

namespace Sched.Language.Binding;

/// <summary>
/// Gathers the hops of one group of chips from its shapes (ring, torus, fully connected, a switch), chains and links between
/// named chips, into the <see cref="Network"/> whose routes the machine follows.
/// </summary>
internal sealed class Interconnect(string group, IReadOnlyList<Chip> chips)
{
    /// <summary>The shapes a group's links may take, with what each wants.</summary>
    public static IReadOnlyDictionary<string, string> Shapes { get; } = new Dictionary<string, string>
    {
        ["ring"] = "each chip to the next and back, the last to the first",
        ["torus"] = "torus(X, Y) or torus(X, Y, Z) with X·Y(·Z) chips: each to its neighbours in every dimension, wrapping around",
        ["all"] = "every chip to every other",
        ["switch"] = "every chip to one switch and back: two hops between any two chips",
    };

    // Routes listed beyond this many hops in all would take more memory than the schedule: a diagnostic says so instead.
    public const long MaxRouteHops = 20_000_000;

    private readonly List<Hop> _hops = [];
    private readonly HashSet<(int, int)> _joined = [];

    public string Group => group;
    public int Count => chips.Count;
    private int SwitchNode => chips.Count;

    /// <summary>Adds a channel from node to node (a chip's index, or <see cref="Count"/> for the switch); false if it exists.</summary>
    public bool Join(int from, int to, double bytesPerCycle, int latency, int lanes)
    {
        if (from == to || !_joined.Add((from, to))) return false;
        _hops.Add(new Hop(from, to, bytesPerCycle, latency, lanes));
        return true;
    }

    /// <summary>The channels of a shape; null with the reason when the shape or its dimensions do not fit the group.</summary>
    public string? AddShape(string shape, IReadOnlyList<int> dimensions, double bytesPerCycle, int latency, int lanes)
    {
        var n = chips.Count;
        void Both(int a, int b)
        {
            Join(a, b, bytesPerCycle, latency, lanes);
            Join(b, a, bytesPerCycle, latency, lanes);
        }
        if (shape != "torus" && dimensions.Count > 0) return $"a {shape} takes no dimensions";
        switch (shape)
        {
            case "ring":
                for (var k = 0; k < n && n > 1; k++) Both(k, (k + 1) % n);
                return null;
            case "all":
                for (var a = 0; a < n; a++)
                    for (var b = a + 1; b < n; b++) Both(a, b);
                return null;
            case "switch":
                for (var k = 0; k < n; k++) Both(k, SwitchNode);
                return null;
            case "torus":
                if (dimensions.Count is < 2 or > 3) return "a torus takes two or three dimensions: torus(X, Y) or torus(X, Y, Z)";
                if (dimensions.Aggregate(1L, (p, d) => p * d) != n)
                    return $"torus({string.Join(", ", dimensions)}) has {dimensions.Aggregate(1L, (p, d) => p * d)} places for {n} chips";
                var stride = 1;
                foreach (var size in dimensions)
                {
                    for (var k = 0; k < n; k++)
                    {
                        var at = k / stride % size;
                        if (size > 1) Both(k, k + ((at + 1) % size - at) * stride);
                    }
                    stride *= size;
                }
                return null;
            default:
                return null;
        }
    }

    public Network Network => new(group, chips.Select(c => c.Memory).ToArray(), chips.Select(c => c.Pool).ToArray(), _hops.ToArray());

    /// <summary>Whether listing every route would cross more than <see cref="MaxRouteHops"/> hops in all.</summary>
    public bool TooLarge => Network.TotalHops(MaxRouteHops) > MaxRouteHops;
}
