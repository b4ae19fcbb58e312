namespace Sched.Runtime.Verification;

/// <summary>
/// Heads and tails tightened by each step's providers and readers two deep, at any size (linear in the links): a step cannot start
/// before the providers it reads on one resource could all have run there (the least of their heads, then their work ÷ the
/// resource's capacity, then the least of their latencies), nor before their own providers on one resource could have; nor end
/// later before the schedule does than its readers, and theirs, on one resource need. An operation that reads every block of the
/// one before it on the same unit — a wafer's chain of matrix-vector products, a norm after a projection — so waits for that whole
/// operation, and a barrier behind an operation's stores for all its blocks on each unit, layer after layer: which the longest
/// path (one block an operation) does not see and <see cref="AncestorEnergy"/> sees only in windows.
/// </summary>
public static class FeedEnergy
{
    public static void Tighten(long[] heads, long[] tails, long[] durations, long[] afters, IReadOnlyList<int>?[] feeds,
        IReadOnlyList<(int Resource, int Amount)>?[] holds, IReadOnlyList<int> capacities)
    {
        var n = heads.Length;
        var readers = Readers(feeds);
        var energy = new Energy(durations, holds, capacities, n);
        // Forward in replay order (providers first): chains, the providers' energy, then their providers'.
        for (var k = 0; k < n; k++)
        {
            if (feeds[k] is not { Count: > 0 } providers) continue;
            foreach (var p in providers) heads[k] = Math.Max(heads[k], heads[p] + durations[p] + afters[p]);
            if (providers.Count < 2) continue;
            heads[k] = Math.Max(heads[k], energy.Of(providers, i => heads[i], i => afters[i]));
            heads[k] = Math.Max(heads[k], energy.Of(energy.Ring(providers, feeds), i => heads[i], _ => 0));
        }
        // Backward: a step's tail covers its readers' chain and their energy, then their readers'.
        for (var k = n - 1; k >= 0; k--)
        {
            if (readers[k] is not { Length: > 0 } after) continue;
            foreach (var c in after) tails[k] = Math.Max(tails[k], durations[k] + afters[k] + tails[c]);
            if (after.Length < 2) continue;
            var more = Math.Max(energy.Of(after, i => tails[i] - durations[i], _ => 0),
                energy.Of(energy.Ring(after, readers), i => tails[i] - durations[i], _ => 0));
            tails[k] = Math.Max(tails[k], durations[k] + afters[k] + more);
        }
    }

    /// <summary>Each step's readers, from each step's providers: one array a step, sized by a first count.</summary>
    internal static int[]?[] Readers(IReadOnlyList<int>?[] feeds)
    {
        var count = new int[feeds.Length];
        foreach (var providers in feeds)
            if (providers is not null) foreach (var p in providers) count[p]++;
        var readers = new int[]?[feeds.Length];
        for (var k = 0; k < feeds.Length; k++)
            if (feeds[k] is { } providers)
                foreach (var p in providers) (readers[p] ??= new int[count[p]])[readers[p]!.Length - count[p]--] = k;
        return readers;
    }

    /// <summary>
    /// The most one resource's work among a set of steps needs: the least of their edges (head, or time after), their amount ×
    /// duration ÷ capacity, and the least of their gaps (latency to the reader). Scratch arrays a resource, reset after each set.
    /// </summary>
    private const int MaxFan = 64;

    private sealed class Energy(long[] durations, IReadOnlyList<(int Resource, int Amount)>?[] holds, IReadOnlyList<int> capacities, int n)
    {
        private readonly long[] _work = new long[capacities.Count];
        private readonly long[] _least = Filled(capacities.Count);
        private readonly long[] _gap = Filled(capacities.Count);
        private readonly List<int> _touched = [];
        private readonly List<int> _ring = [];
        private readonly int[] _seen = new int[n];   // the call that last took each step into a ring
        private int _stamp;

        private static long[] Filled(int count)
        {
            var a = new long[count];
            Array.Fill(a, long.MaxValue);
            return a;
        }

        /// <summary>The links of <paramref name="steps"/>, each once (valid until the next call).</summary>
        public List<int> Ring(IReadOnlyList<int> steps, IReadOnlyList<int>?[] links)
        {
            _ring.Clear();
            _stamp++;
            // Index loops: a foreach over a read-only list allocates an enumerator, and this runs for every join. A step of wide
            // fan-in (a phase's or a kernel's gate) is not opened: its head already holds its providers' energy, and opening it
            // for every step after it would cost the product of the two.
            for (var a = 0; a < steps.Count; a++)
                if (links[steps[a]] is { Count: <= MaxFan } from)
                    for (var b = 0; b < from.Count; b++)
                        if (_seen[from[b]] != _stamp)
                        {
                            _seen[from[b]] = _stamp;
                            _ring.Add(from[b]);
                        }
            return _ring;
        }

        public long Of(IReadOnlyList<int> steps, Func<int, long> edge, Func<int, long> gap)
        {
            if (steps.Count < 2) return 0;
            for (var a = 0; a < steps.Count; a++)
            {
                var i = steps[a];
                if (holds[i] is not { } held) continue;
                var (e, g) = (edge(i), gap(i));
                for (var b = 0; b < held.Count; b++)
                {
                    var (r, amount) = held[b];
                    if (_least[r] == long.MaxValue) _touched.Add(r);
                    _work[r] += amount * durations[i];
                    (_least[r], _gap[r]) = (Math.Min(_least[r], e), Math.Min(_gap[r], g));
                }
            }
            var best = 0L;
            foreach (var r in _touched)
            {
                best = Math.Max(best, _least[r] + (_work[r] + capacities[r] - 1) / capacities[r] + _gap[r]);
                (_work[r], _least[r], _gap[r]) = (0, long.MaxValue, long.MaxValue);
            }
            _touched.Clear();
            return best;
        }
    }
}
