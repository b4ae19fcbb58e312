namespace Sched.Runtime.Targets;

/// <summary>One way from node to node of a network: a chip's index, or the chip count for the group's switch.</summary>
public readonly record struct Hop(int From, int To, double BytesPerCycle, int Latency, int Lanes);

/// <summary>
/// The chip-to-chip channels of a group of chips (each chip's memory and pool of units) and the routes between its chips: the
/// fewest hops, found breadth-first over the hops in the order they were declared, so routes are deterministic (on a torus that
/// is dimension order). The machine turns each route into links from one chip's memory to each unit of another (loads) and
/// from each unit of the one to the other's memory (stores), which hold every channel of the route: the slowest hop's bandwidth,
/// the fewest lanes of any hop, the sum of the hops' latencies.
/// Only the declaration is kept (and emitted); the verifier's machine derives the same routes again.
/// </summary>
public sealed record Network(string Group, IReadOnlyList<string> Memories, IReadOnlyList<string> Pools, IReadOnlyList<Hop> Hops)
{
    public int Chips => Pools.Count;

    public string NodeName(int node) => node == Chips ? $"{Group}.switch" : $"{Group}[{node}]";

    public IEnumerable<Channel> Channels =>
        Hops.Select(h => new Channel($"{NodeName(h.From)}=>{NodeName(h.To)}", h.BytesPerCycle, h.Latency, h.Lanes));

    /// <summary>Every route (from chip, to chip, hops by index), visiting pairs in order; stops once more than <paramref name="limit"/>
    /// hops have been listed in all.</summary>
    public IEnumerable<(int From, int To, int[] Route)> Routes(long limit = long.MaxValue)
    {
        var nodes = Chips + (Hops.Any(h => h.From == Chips || h.To == Chips) ? 1 : 0);
        var outgoing = Enumerable.Range(0, nodes).Select(_ => new List<int>()).ToArray();
        for (var h = 0; h < Hops.Count; h++) outgoing[Hops[h].From].Add(h);
        var total = 0L;
        var via = new int[nodes];
        for (var from = 0; from < Chips; from++)
        {
            Array.Fill(via, -1);
            var queue = new Queue<int>([from]);
            while (queue.TryDequeue(out var node))
                foreach (var h in outgoing[node])
                    if (Hops[h].To != from && via[Hops[h].To] < 0)
                    {
                        via[Hops[h].To] = h;
                        queue.Enqueue(Hops[h].To);
                    }
            for (var to = 0; to < Chips; to++)
            {
                if (to == from || via[to] < 0) continue;
                var route = new List<int>();
                for (var node = to; node != from; node = Hops[via[node]].From) route.Add(via[node]);
                route.Reverse();
                yield return (from, to, route.ToArray());
                if ((total += route.Count) > limit) yield break;
            }
        }
    }

    /// <summary>The links of every route; <paramref name="firstChannel"/> is the machine-wide index of this network's first hop.</summary>
    public IEnumerable<Link> Links(IReadOnlyList<ComputeUnit> units, int firstChannel)
    {
        var unitsOf = units.GroupBy(u => u.Pool).ToDictionary(g => g.Key, g => g.Select(u => u.Name).ToList());
        foreach (var (from, to, route) in Routes())
        {
            var hops = route.Select(h => Hops[h]).ToList();
            var channels = route.Select(h => firstChannel + h).ToArray();
            Link Make(string a, string b) =>
                new($"{a}->{b}", a, b, hops.Min(h => h.BytesPerCycle), hops.Sum(h => h.Latency), hops.Min(h => h.Lanes))
                    { Route = channels };
            // Loads from this chip's memory into the other's units, and stores from this chip's units into the other's memory.
            foreach (var unit in unitsOf.GetValueOrDefault(Pools[to]) ?? []) yield return Make(Memories[from], unit);
            foreach (var unit in unitsOf.GetValueOrDefault(Pools[from]) ?? []) yield return Make(unit, Memories[to]);
        }
    }
}
