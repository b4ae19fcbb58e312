namespace Sched.Runtime.Verification;

/// <summary>
/// Stronger heads and tails for a lower bound, the verifier's and the compiler's: a step cannot start before all its ancestors on
/// one resource could have run there (the earliest of their heads, then their work ÷ the resource's capacity), nor end sooner
/// before the schedule does than its descendants on one resource need (their work ÷ capacity, then the least of their tails). A
/// chain of chips shows why: the first matmul of chip k+1 waits for every weight of chip k to stream, which the longest path alone
/// (one output block a layer) does not see; so does an operation whose blocks share a unit and whose next waits for all of them.
/// Ancestor sets are bitsets over windows of W consecutive steps (ancestors in earlier windows reach a step through its providers'
/// heads and tails; a subset of ancestors keeps the bound valid), W from 512 to <see cref="MaxSteps"/> as the size allows. Only a
/// step with two or more providers (readers, going back) can gain: one provider's chain already covers its ancestors' energy.
/// </summary>
public static class AncestorEnergy
{
    public const int MaxSteps = 10_000;
    // Bit visits in all (a window's sets are walked once a step): the window narrows on larger schedules to keep this in seconds.
    private const long Work = 200_000_000;

    /// <param name="feeds">each step's providers, earlier steps (a step that must end, and its after pass, before the step starts)</param>
    /// <param name="holds">each step's resources and amounts</param>
    /// <param name="capacities">each resource's capacity</param>
    public static void Tighten(long[] heads, long[] tails, long[] durations, long[] afters, IReadOnlyList<int>?[] feeds,
        IReadOnlyList<(int Resource, int Amount)>?[] holds, IReadOnlyList<int> capacities)
    {
        var n = heads.Length;
        IReadOnlyList<int>?[] consumers = FeedEnergy.Readers(feeds);
        var energy = new Energy(durations, holds, capacities);
        // Windows of several widths, widest first: the energy of a set is not the most of its subsets' (an early, idle
        // ancestor lowers the least head more than its work adds), so narrower windows find what wider ones miss. Heads and
        // tails only grow, so each pass keeps what the one before found.
        for (var window = (int)Math.Clamp(Work / Math.Max(1, n), 512, MaxSteps); ; window /= 4)
        {
            Pass(window, heads, tails, durations, afters, feeds, consumers, energy);
            if (window < 1024) break;
        }
    }

    private static void Pass(int window, long[] heads, long[] tails, long[] durations, long[] afters, IReadOnlyList<int>?[] feeds,
        IReadOnlyList<int>?[] consumers, Energy energy)
    {
        var n = heads.Length;
        // Forward: heads from ancestors, steps in order (providers first), window by window.
        for (var start = 0; start < n; start += window)
        {
            var (from, to) = (start, Math.Min(n, start + window));
            Sweep(from, to, Enumerable.Range(from, to - from), feeds, k =>
            {
                foreach (var p in feeds[k] ?? []) heads[k] = Math.Max(heads[k], heads[p] + durations[p] + afters[p]);
            }, (k, set) => heads[k] = Math.Max(heads[k], energy.Of(set, from, i => heads[i])));
        }
        // Backward: tails from descendants, the last window first.
        for (var end = n; end > 0; end -= window)
        {
            var (from, to) = (Math.Max(0, end - window), end);
            Sweep(from, to, Enumerable.Range(from, to - from).Reverse(), consumers, k =>
            {
                foreach (var c in consumers[k] ?? []) tails[k] = Math.Max(tails[k], durations[k] + afters[k] + tails[c]);
            }, (k, set) => tails[k] = Math.Max(tails[k], durations[k] + afters[k] + energy.Of(set, from, i => tails[i] - durations[i])));
        }
    }

    /// <summary>
    /// Visits the steps of the window [from, to) in order, each after its links' sets are known; a step's set is the union of its
    /// links' and them, counting only links inside the window. Energy is asked only where two or more links join.
    /// </summary>
    private static void Sweep(int from, int to, IEnumerable<int> order, IReadOnlyList<int>?[] links, Action<int> chain,
        Action<int, ulong[]> energy)
    {
        var words = (to - from + 63) / 64;
        var sets = new ulong[to - from][];
        foreach (var k in order)
        {
            var set = new ulong[words];
            var joined = 0;
            foreach (var p in links[k] ?? [])
            {
                if (p < from || p >= to) continue;
                var local = p - from;
                for (var w = 0; w < words; w++) set[w] |= sets[local][w];
                set[local >> 6] |= 1UL << (local & 63);
                joined++;
            }
            sets[k - from] = set;
            chain(k);
            if (joined >= 2) energy(k, set);
        }
    }

    /// <summary>
    /// The most any one resource's work among a set of steps needs: the least of their edges (head, or time after), plus their
    /// amount × duration ÷ capacity. Scratch arrays a resource, reset after each set.
    /// </summary>
    private sealed class Energy(long[] durations, IReadOnlyList<(int Resource, int Amount)>?[] holds, IReadOnlyList<int> capacities)
    {
        private readonly long[] _work = new long[capacities.Count];
        private readonly long[] _least = Fill(capacities.Count);
        private readonly List<int> _touched = [];

        private static long[] Fill(int count)
        {
            var a = new long[count];
            Array.Fill(a, long.MaxValue);
            return a;
        }

        public long Of(ulong[] set, int from, Func<int, long> edge)
        {
            for (var w = 0; w < set.Length; w++)
                for (var bits = set[w]; bits != 0; bits &= bits - 1)
                {
                    var i = from + w * 64 + System.Numerics.BitOperations.TrailingZeroCount(bits);
                    if (holds[i] is not { } held) continue;
                    for (var h = 0; h < held.Count; h++)
                    {
                        var (r, amount) = held[h];
                        if (_work[r] == 0 && _least[r] == long.MaxValue) _touched.Add(r);
                        _work[r] += amount * durations[i];
                        _least[r] = Math.Min(_least[r], edge(i));
                    }
                }
            var best = 0L;
            foreach (var r in _touched)
            {
                best = Math.Max(best, _least[r] + (_work[r] + capacities[r] - 1) / capacities[r]);
                (_work[r], _least[r]) = (0, long.MaxValue);
            }
            _touched.Clear();
            return best;
        }
    }
}
