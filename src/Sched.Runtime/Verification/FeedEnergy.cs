using Sched.Runtime.Targets.Kinds;

namespace Sched.Runtime.Verification;

/// <summary>
/// Heads and tails tightened by each step's direct providers and readers, at any size (linear in the feeds): a step cannot start
/// before the providers it reads on one resource could all have run there (the least of their heads, then their work ÷ the
/// resource's capacity, then the least of their latencies), nor end later before the schedule does than its readers on one
/// resource need. An operation that reads every block of the one before it on the same unit — a wafer's chain of matrix-vector
/// products, a norm after a projection — so waits for that whole operation, layer after layer, which the longest path (one block
/// an operation) does not see and <see cref="AncestorEnergy"/> sees only on small schedules.
/// </summary>
internal static class FeedEnergy
{
    public static void Tighten(long[] heads, long[] tails, long[] durations, long[] afters, List<int>?[] feeds,
        List<(int Resource, int Amount)>?[] holds, IReadOnlyList<Resource> resources)
    {
        var n = heads.Length;
        var readers = new List<int>?[n];
        for (var k = 0; k < n; k++)
            foreach (var p in feeds[k] ?? []) (readers[p] ??= []).Add(k);
        // Forward in replay order (providers first): chains and the providers' energy.
        for (var k = 0; k < n; k++)
        {
            if (feeds[k] is not { Count: > 0 } providers) continue;
            foreach (var p in providers) heads[k] = Math.Max(heads[k], heads[p] + durations[p] + afters[p]);
            heads[k] = Math.Max(heads[k], Energy(providers, durations, holds, resources, i => heads[i], i => afters[i]));
        }
        // Backward: a step's tail covers its readers' chain and their energy.
        for (var k = n - 1; k >= 0; k--)
        {
            if (readers[k] is not { Count: > 0 } after) continue;
            foreach (var c in after) tails[k] = Math.Max(tails[k], durations[k] + afters[k] + tails[c]);
            tails[k] = Math.Max(tails[k], durations[k] + afters[k]
                + Energy(after, durations, holds, resources, i => tails[i] - durations[i], _ => 0));
        }
    }

    /// <summary>
    /// The most one resource's work among <paramref name="steps"/> needs: the least of their <paramref name="edge"/> (head, or
    /// time after), their amount × duration ÷ capacity, and the least of their <paramref name="gap"/> (latency to the reader).
    /// </summary>
    private static long Energy(List<int> steps, long[] durations, List<(int Resource, int Amount)>?[] holds,
        IReadOnlyList<Resource> resources, Func<int, long> edge, Func<int, long> gap)
    {
        if (steps.Count < 2) return 0;
        var work = new Dictionary<int, (long Work, long Edge, long Gap)>();
        foreach (var i in steps)
            foreach (var (r, amount) in holds[i] ?? [])
            {
                var (sum, least, leastGap) = work.TryGetValue(r, out var x) ? x : (0L, long.MaxValue, long.MaxValue);
                work[r] = (sum + amount * durations[i], Math.Min(least, edge(i)), Math.Min(leastGap, gap(i)));
            }
        var best = 0L;
        foreach (var (r, (sum, least, leastGap)) in work)
            best = Math.Max(best, least + (sum + resources[r].Capacity - 1) / resources[r].Capacity + leastGap);
        return best;
    }
}
