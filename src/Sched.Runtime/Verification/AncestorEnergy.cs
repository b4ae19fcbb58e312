using Sched.Runtime.Targets.Kinds;

namespace Sched.Runtime.Verification;

/// <summary>
/// Stronger heads and tails for the verifier's bound on schedules of up to <see cref="MaxSteps"/> steps: a step cannot start
/// before all its ancestors on one resource could have run there (the earliest of their heads, then their work ÷ the resource's
/// capacity), nor end sooner before the schedule does than its descendants on one resource need (their work ÷ capacity, then
/// the least of their tails). A chain of chips shows why: the first matmul of chip k+1 waits for every weight of chip k to stream,
/// which the longest path alone (one output block a layer) does not see. Ancestor sets are bitsets: O(n²/64) memory, O(n²) time.
/// </summary>
internal static class AncestorEnergy
{
    public const int MaxSteps = 10_000;

    /// <param name="feeds">each step's providers (earlier steps)</param>
    /// <param name="holds">each step's resources and amounts</param>
    public static void Tighten(long[] heads, long[] tails, long[] durations, long[] afters, List<int>?[] feeds,
        List<(int Resource, int Amount)>?[] holds, IReadOnlyList<Resource> resources)
    {
        var n = heads.Length;
        if (n > MaxSteps) return;
        var consumers = new List<int>?[n];
        for (var k = 0; k < n; k++)
            foreach (var p in feeds[k] ?? []) (consumers[p] ??= []).Add(k);
        // Forward: heads from ancestors, steps in replay order (providers first).
        Sweep(n, Enumerable.Range(0, n), feeds, k =>
        {
            foreach (var p in feeds[k] ?? []) heads[k] = Math.Max(heads[k], heads[p] + durations[p] + afters[p]);
        }, (k, set) => heads[k] = Math.Max(heads[k], Energy(set, durations, holds, resources, i => heads[i])));
        // Backward: tails from descendants.
        Sweep(n, Enumerable.Range(0, n).Reverse(), consumers, k =>
        {
            foreach (var c in consumers[k] ?? []) tails[k] = Math.Max(tails[k], durations[k] + afters[k] + tails[c]);
        }, (k, set) => tails[k] = Math.Max(tails[k], durations[k] + afters[k]
            + Energy(set, durations, holds, resources, i => tails[i] - durations[i])));
    }

    /// <summary>Visits steps in order, each after its links' sets are known; a step's set is the union of its links' and them.</summary>
    private static void Sweep(int n, IEnumerable<int> order, List<int>?[] links, Action<int> chain, Action<int, ulong[]> energy)
    {
        var words = (n + 63) / 64;
        var sets = new ulong[n][];
        foreach (var k in order)
        {
            var set = new ulong[words];
            foreach (var p in links[k] ?? [])
            {
                for (var w = 0; w < words; w++) set[w] |= sets[p][w];
                set[p >> 6] |= 1UL << (p & 63);
            }
            sets[k] = set;
            chain(k);
            energy(k, set);
        }
    }

    /// <summary>
    /// The most any one resource's work among the steps of <paramref name="set"/> needs: the least of their <paramref name="edge"/>
    /// (head, or time after), plus their amount × duration ÷ capacity.
    /// </summary>
    private static long Energy(ulong[] set, long[] durations, List<(int Resource, int Amount)>?[] holds, IReadOnlyList<Resource> resources,
        Func<int, long> edge)
    {
        var work = new Dictionary<int, (long Work, long Edge)>();
        for (var w = 0; w < set.Length; w++)
            for (var bits = set[w]; bits != 0; bits &= bits - 1)
            {
                var i = w * 64 + System.Numerics.BitOperations.TrailingZeroCount(bits);
                foreach (var (r, amount) in holds[i] ?? [])
                {
                    var (sum, least) = work.TryGetValue(r, out var x) ? x : (0L, long.MaxValue);
                    work[r] = (sum + amount * durations[i], Math.Min(least, edge(i)));
                }
            }
        var best = 0L;
        foreach (var (r, (sum, least)) in work)
            best = Math.Max(best, least + (sum + resources[r].Capacity - 1) / resources[r].Capacity);
        return best;
    }
}
