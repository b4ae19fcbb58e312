using Sched.Runtime.Targets.Kinds;

namespace Sched.Runtime.Verification;

/// <summary>
/// Stronger heads and tails for the verifier's bound: a step cannot start before all its ancestors on one resource could have run
/// there (the earliest of their heads, then their work ÷ the resource's capacity), nor end sooner before the schedule does than its
/// descendants on one resource need (their work ÷ capacity, then the least of their tails). A chain of chips shows why: the first
/// matmul of chip k+1 waits for every weight of chip k to stream, which the longest path alone (one output block a layer) does not
/// see. Ancestor sets are bitsets over windows of W consecutive steps in replay order (ancestors in earlier windows reach a step
/// through its providers' heads and tails; a subset of ancestors keeps the bound valid): O(n·W) time, W from 512 to
/// <see cref="MaxSteps"/> as the size allows; exact ancestry for schedules of up to 10,000 steps.
/// </summary>
internal static class AncestorEnergy
{
    public const int MaxSteps = 10_000;
    // Bit visits in all (a window's sets are walked once a step): the window narrows on larger schedules to keep this in seconds.
    private const long Work = 200_000_000;

    /// <param name="feeds">each step's providers (earlier steps)</param>
    /// <param name="holds">each step's resources and amounts</param>
    public static void Tighten(long[] heads, long[] tails, long[] durations, long[] afters, List<int>?[] feeds,
        List<(int Resource, int Amount)>?[] holds, IReadOnlyList<Resource> resources)
    {
        var n = heads.Length;
        var consumers = new List<int>?[n];
        for (var k = 0; k < n; k++)
            foreach (var p in feeds[k] ?? []) (consumers[p] ??= []).Add(k);
        // Windows of several widths, widest first: the energy of a set is not the most of its subsets' (an early, idle
        // ancestor lowers the least head more than its work adds), so narrower windows find what wider ones miss. Heads and
        // tails only grow, so each pass keeps what the one before found.
        for (var window = (int)Math.Clamp(Work / Math.Max(1, n), 512, MaxSteps); ; window /= 4)
        {
            Pass(window, heads, tails, durations, afters, feeds, consumers, holds, resources);
            if (window < 1024) break;
        }
    }

    private static void Pass(int window, long[] heads, long[] tails, long[] durations, long[] afters, List<int>?[] feeds,
        List<int>?[] consumers, List<(int Resource, int Amount)>?[] holds, IReadOnlyList<Resource> resources)
    {
        var n = heads.Length;
        // Forward: heads from ancestors, steps in replay order (providers first), window by window.
        for (var start = 0; start < n; start += window)
        {
            var (from, to) = (start, Math.Min(n, start + window));
            Sweep(from, to, Enumerable.Range(from, to - from), feeds, k =>
            {
                foreach (var p in feeds[k] ?? []) heads[k] = Math.Max(heads[k], heads[p] + durations[p] + afters[p]);
            }, (k, set) => heads[k] = Math.Max(heads[k], Energy(set, from, durations, holds, resources, i => heads[i])));
        }
        // Backward: tails from descendants, the last window first.
        for (var end = n; end > 0; end -= window)
        {
            var (from, to) = (Math.Max(0, end - window), end);
            Sweep(from, to, Enumerable.Range(from, to - from).Reverse(), consumers, k =>
            {
                foreach (var c in consumers[k] ?? []) tails[k] = Math.Max(tails[k], durations[k] + afters[k] + tails[c]);
            }, (k, set) => tails[k] = Math.Max(tails[k], durations[k] + afters[k]
                + Energy(set, from, durations, holds, resources, i => tails[i] - durations[i])));
        }
    }

    /// <summary>
    /// Visits the steps of the window [from, to) in order, each after its links' sets are known; a step's set is the union of its
    /// links' and them, counting only links inside the window.
    /// </summary>
    private static void Sweep(int from, int to, IEnumerable<int> order, List<int>?[] links, Action<int> chain,
        Action<int, ulong[]> energy)
    {
        var words = (to - from + 63) / 64;
        var sets = new ulong[to - from][];
        foreach (var k in order)
        {
            var set = new ulong[words];
            foreach (var p in links[k] ?? [])
            {
                if (p < from || p >= to) continue;
                var local = p - from;
                for (var w = 0; w < words; w++) set[w] |= sets[local][w];
                set[local >> 6] |= 1UL << (local & 63);
            }
            sets[k - from] = set;
            chain(k);
            energy(k, set);
        }
    }

    /// <summary>
    /// The most any one resource's work among the steps of <paramref name="set"/> needs: the least of their <paramref name="edge"/>
    /// (head, or time after), plus their amount × duration ÷ capacity.
    /// </summary>
    private static long Energy(ulong[] set, int from, long[] durations, List<(int Resource, int Amount)>?[] holds,
        IReadOnlyList<Resource> resources, Func<int, long> edge)
    {
        var work = new Dictionary<int, (long Work, long Edge)>();
        for (var w = 0; w < set.Length; w++)
            for (var bits = set[w]; bits != 0; bits &= bits - 1)
            {
                var i = from + w * 64 + System.Numerics.BitOperations.TrailingZeroCount(bits);
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
