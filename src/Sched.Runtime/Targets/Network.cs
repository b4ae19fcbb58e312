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

    /// <summary>Every route (from chip, to chip, hops by index), visiting pairs in order.</summary>
    public IEnumerable<(int From, int To, int[] Route)> Routes()
    {
        var outgoing = Outgoing();
        for (var from = 0; from < Chips; from++)
        {
            var (via, depth) = Search(from, outgoing);
            for (var to = 0; to < Chips; to++)
            {
                if (to == from || via[to] < 0) continue;
                var route = new int[depth[to]];
                for (var (node, k) = (to, route.Length - 1); node != from; node = Hops[via[node]].From, k--) route[k] = via[node];
                yield return (from, to, route);
            }
        }
    }

    /// <summary>Σ hops of every route, counted without listing them; stops once above <paramref name="limit"/>.</summary>
    public long TotalHops(long limit)
    {
        var (outgoing, total) = (Outgoing(), 0L);
        for (var from = 0; from < Chips && total <= limit; from++)
        {
            var depth = Search(from, outgoing).Depth;
            for (var to = 0; to < Chips; to++) total += Math.Max(0, depth[to]);
        }
        return total;
    }

    private List<int>[] Outgoing()
    {
        var nodes = Chips + (Hops.Any(h => h.From == Chips || h.To == Chips) ? 1 : 0);
        var outgoing = Enumerable.Range(0, nodes).Select(_ => new List<int>()).ToArray();
        for (var h = 0; h < Hops.Count; h++) outgoing[Hops[h].From].Add(h);
        return outgoing;
    }

    /// <summary>Breadth-first from a chip: the hop that first reached each node (−1: none) and its hop count (−1: unreached).</summary>
    private (int[] Via, int[] Depth) Search(int from, List<int>[] outgoing)
    {
        var (via, depth) = (new int[outgoing.Length], new int[outgoing.Length]);
        Array.Fill(via, -1);
        Array.Fill(depth, -1);
        depth[from] = 0;
        var queue = new Queue<int>([from]);
        while (queue.TryDequeue(out var node))
            foreach (var h in outgoing[node])
                if (depth[Hops[h].To] < 0)
                {
                    (via[Hops[h].To], depth[Hops[h].To]) = (h, depth[node] + 1);
                    queue.Enqueue(Hops[h].To);
                }
        return (via, depth);
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
