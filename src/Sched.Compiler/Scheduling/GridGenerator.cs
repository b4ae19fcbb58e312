namespace Sched.Compiler.Scheduling;

/// <summary>
/// Serial schedule generation for small problems with minimum lags only, on a time grid: each cycle's usage of every resource
/// sits in 16-bit lanes of 64-bit words (four resources a word), so one subtraction asks whether an operation's whole demand
/// fits a cycle and one addition books it. It makes the schedule <see cref="SerialGenerator"/> makes for the same key (smallest
/// key first, earliest start with room), several times faster, so the genetic search gets more passes in its second.
/// </summary>
internal sealed class GridGenerator
{
    // Cells (words × horizon) above which the grid's memory stops paying; larger problems keep the segment profiles.
    private const long MaxCells = 1 << 20;
    // Operations above which the segment generator's heap takes over: the sorted eligible list is quadratic in its width.
    private const int MaxOperations = 20_000;
    private const int LaneBits = 16, Lanes = 64 / LaneBits;
    // Each lane's top bit: a lane holds at most 2^15 − 1, so a subtraction from (limit | Top) never borrows across lanes.
    private const ulong Top = 0x8000_8000_8000_8000UL;
    private const int Full = (1 << (LaneBits - 1)) - 1;

    private readonly Graph _graph;
    private readonly int[] _earliest;
    private readonly int[] _durations;
    private readonly int _words, _horizon;
    // Operation j touches words _wordStart[j] .. _wordStart[j + 1] − 1 of a cycle: which word, what it adds to it, and the most
    // each lane may hold before it joins (capacity − amount; lanes it does not use may hold anything), stored with each lane's
    // top bit set so a check is one subtraction.
    private readonly int[] _wordStart, _word;
    private readonly ulong[] _demand, _limit;

    private GridGenerator(Graph graph, int[] earliest, int[] durations, int words, int horizon, int[] wordStart, int[] word,
        ulong[] demand, ulong[] limit)
    {
        (_graph, _earliest, _durations, _words, _horizon) = (graph, earliest, durations, words, horizon);
        (_wordStart, _word, _demand, _limit) = (wordStart, word, demand, limit);
    }

    /// <summary>
    /// A grid generator for the problem, or null with maximum lags, windows, zero-lag cycles, a capacity beyond a lane (2^15 − 1),
    /// more than 20,000 operations or too long a horizon.
    /// </summary>
    public static GridGenerator? For(Problem problem, Graph graph, long[] earliest)
    {
        var n = problem.Count;
        if (problem.HasNegativeLags || problem.Windows.Count > 0 || n == 0 || n > MaxOperations) return null;
        // The resources some operation uses, each a lane, in the order of the resources.
        var lane = new int[problem.Capacities.Count];
        for (var i = 0; i < n; i++)
            foreach (var d in problem.Demands[i])
                if (d.Amount > 0) lane[d.Resource] = 1;
        var resourceOf = new List<int>();
        for (var r = 0; r < lane.Length; r++)
        {
            if (lane[r] == 0) continue;
            if (problem.Capacities[r] > Full) return null;
            lane[r] = resourceOf.Count;
            resourceOf.Add(r);
        }
        var words = Math.Max(1, (resourceOf.Count + Lanes - 1) / Lanes);
        // No start lies beyond the latest temporal start plus, for each operation, the longer of its duration and its lags out:
        // each placed operation pushes the end of what is booked, or the earliest start of its successors, by at most that.
        var horizon = earliest.Max() + 1;
        var wordStart = new int[n + 1];
        var touched = new List<(int Word, ulong Demand, ulong Limit)>();
        for (var i = 0; i < n; i++)
        {
            var reach = problem.Durations[i];
            for (var e = graph.SuccStart[i]; e < graph.SuccStart[i + 1]; e++) reach = Math.Max(reach, graph.SuccLag[e]);
            horizon += reach;
            if (horizon * words > MaxCells) return null;
            var amounts = new SortedDictionary<int, long>();   // lane → amount (demands on one resource add up)
            foreach (var d in problem.Demands[i])
                if (d.Amount > 0) amounts[lane[d.Resource]] = amounts.GetValueOrDefault(lane[d.Resource]) + d.Amount;
            foreach (var group in amounts.GroupBy(a => a.Key / Lanes))
            {
                var (demand, limit) = (0UL, Top - 0x0001_0001_0001_0001UL);   // every lane at its most, 2^15 − 1
                foreach (var (l, amount) in group)
                {
                    var resource = resourceOf[l];
                    if (amount > problem.Capacities[resource]) return null;
                    var shift = LaneBits * (l % Lanes);
                    demand |= (ulong)amount << shift;
                    limit = limit & ~((ulong)Full << shift) | (ulong)(problem.Capacities[resource] - amount) << shift;
                }
                touched.Add((group.Key, demand, limit));
            }
            wordStart[i + 1] = touched.Count;
        }
        if (Temporal.TopologicalOrder(n, graph) is null) return null;   // zero-lag cycles: the general generator breaks them
        return new GridGenerator(graph, earliest.Select(t => (int)t).ToArray(), problem.Durations.Select(d => (int)d).ToArray(), words,
            (int)horizon, wordStart, touched.Select(w => w.Word).ToArray(), touched.Select(w => w.Demand).ToArray(),
            touched.Select(w => w.Limit | Top).ToArray());
    }

    /// <summary>Starts for every operation: the serial scheme by smallest key, ties to the smaller index.</summary>
    public long[]? Run(double[] key)
    {
        var n = _durations.Length;
        // Scratch of this thread, reused: at two islands' rate, fresh grids made the collector the bottleneck.
        var scratch = _scratch ??= new Scratch();
        var usage = scratch.Usage.Length >= _words * _horizon ? scratch.Usage : scratch.Usage = new ulong[_words * _horizon];
        var waiting = scratch.Waiting.Length >= n ? scratch.Waiting : scratch.Waiting = new int[n];
        var eligible = scratch.Eligible.Length >= n ? scratch.Eligible : scratch.Eligible = new int[n];
        var eligibleKey = scratch.EligibleKey.Length >= n ? scratch.EligibleKey : scratch.EligibleKey = new double[n];
        var (predStart, pred, predLag, succStart, succ) = (_graph.PredStart, _graph.Pred, _graph.PredLag, _graph.SuccStart, _graph.Succ);
        var starts = new long[n];
        // The eligible operations, few at a time in problems this small, kept sorted with the smallest key last: inserting one
        // shifts a few, and the next to place is simply the last (a scan for the smallest at each step took half of a j120 run).
        var count = 0;
        void Insert(int op)
        {
            var (k, at) = (key[op], count++);
            for (; at > 0 && (eligibleKey[at - 1] < k || (eligibleKey[at - 1] == k && eligible[at - 1] < op)); at--)
                (eligible[at], eligibleKey[at]) = (eligible[at - 1], eligibleKey[at - 1]);
            (eligible[at], eligibleKey[at]) = (op, k);
        }
        for (var j = 0; j < n; j++)
            if ((waiting[j] = predStart[j + 1] - predStart[j]) == 0) Insert(j);
        while (count > 0)
        {
            var j = eligible[--count];
            long est = _earliest[j];
            for (var e = predStart[j]; e < predStart[j + 1]; e++) est = Math.Max(est, starts[pred[e]] + predLag[e]);
            var (t, duration) = ((int)est, _durations[j]);
            if (duration > 0) t = Fit(usage, j, t, duration);
            for (var k = _wordStart[j]; k < _wordStart[j + 1]; k++)
                for (int c = t * _words + _word[k], stop = c + duration * _words; c < stop; c += _words) usage[c] += _demand[k];
            starts[j] = t;
            for (var e = succStart[j]; e < succStart[j + 1]; e++)
                if (--waiting[succ[e]] == 0) Insert(succ[e]);
        }
        // Leave the grid empty for the next run: clear the words each operation booked (not the horizon, not whole cycles).
        for (var j = 0; j < n; j++)
            for (var k = _wordStart[j]; k < _wordStart[j + 1]; k++)
                for (int c = (int)starts[j] * _words + _word[k], stop = c + _durations[j] * _words; c < stop; c += _words) usage[c] = 0;
        return starts;
    }

    [ThreadStatic] private static Scratch? _scratch;

    private sealed class Scratch
    {
        public ulong[] Usage = [];
        public int[] Waiting = [], Eligible = [];
        public double[] EligibleKey = [];
    }

    /// <summary>The earliest start from <paramref name="t"/> at which operation <paramref name="j"/> fits for its whole duration.</summary>
    private int Fit(ulong[] usage, int j, int t, int duration)
    {
        // Each window is checked from its end: a cycle without room at c moves the start past c at once, and the cycles after c
        // already checked are not checked again (cycles t .. known − 1 have room).
        var (first, words) = (_wordStart[j], _words);
        var one = _wordStart[j + 1] - first == 1;
        var (word, limit) = one ? (_word[first], _limit[first]) : (0, 0UL);
        var known = t;
        while (true)
        {
            var c = t + duration - 1;
            // Most operations touch one word (four resources or fewer): one subtraction a cycle, no loop over words.
            if (one)
                while (c >= known && ((limit - usage[c * words + word]) & Top) == Top) c--;
            else
                while (c >= known && Fits(usage, j, c)) c--;
            if (c < known) return t;
            (known, t) = (t + duration, c + 1);
        }
    }

    /// <summary>Whether cycle <paramref name="c"/> has room for operation <paramref name="j"/> in every lane.</summary>
    private bool Fits(ulong[] usage, int j, int c)
    {
        for (var k = _wordStart[j]; k < _wordStart[j + 1]; k++)
            if (((_limit[k] - usage[c * _words + _word[k]]) & Top) != Top) return false;
        return true;
    }
}
