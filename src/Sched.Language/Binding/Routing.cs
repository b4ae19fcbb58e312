namespace Sched.Language.Binding;

/// <summary>
/// A static MoE routing, known when scheduling: each of a batch's tokens goes to <c>top_k</c> distinct experts drawn without
/// replacement with probability ∝ 1 ÷ (e + 1)^skew (skew 0: uniform) from a seeded splitmix64, so the same settings give the same
/// assignment on every machine. Only the experts that get a token are computed, so only their weights are read.
/// </summary>
public static class Routing
{
    /// <summary>For each expert, the tokens routed to it in ascending order (empty for experts no token chose).</summary>
    public static int[][] Assign(int tokens, int experts, int topK, double skew, ulong seed)
    {
        var weights = Enumerable.Range(0, experts).Select(e => Math.Pow(e + 1, -skew)).ToArray();
        var lists = Enumerable.Range(0, experts).Select(_ => new List<int>()).ToArray();
        var state = seed;
        var taken = new bool[experts];
        for (var t = 0; t < tokens; t++)
        {
            Array.Clear(taken);
            var left = weights.Sum();
            for (var k = 0; k < topK; k++)
            {
                var r = Next(ref state) * left;
                var chosen = -1;
                for (var e = 0; e < experts; e++)
                {
                    if (taken[e]) continue;
                    chosen = e;
                    if ((r -= weights[e]) < 0) break;
                }
                taken[chosen] = true;
                left -= weights[chosen];
                lists[chosen].Add(t);
            }
        }
        return lists.Select(l => l.ToArray()).ToArray();
    }

    /// <summary><paramref name="count"/> ids drawn uniformly from [0, <paramref name="of"/>) (a batch's tokens, for gather).</summary>
    public static int[] Draw(int count, int of, ulong seed)
    {
        var state = seed;
        return Enumerable.Range(0, count).Select(_ => Math.Min(of - 1, (int)(Next(ref state) * of))).ToArray();
    }

    // splitmix64, to [0, 1): fixed here so a routing never depends on the runtime's Random.
    private static double Next(ref ulong state)
    {
        var z = state += 0x9E37_79B9_7F4A_7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return ((z ^ (z >> 31)) >> 11) * (1.0 / (1UL << 53));
    }
}
