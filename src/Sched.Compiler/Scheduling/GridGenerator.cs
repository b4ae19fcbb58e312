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
    private const int LaneBits = 16, Lanes = 64 / LaneBits;
    // Each lane's top bit: a lane holds at most 2^15 − 1, so a subtraction from (limit | Top) never borrows across lanes.
    private const ulong Top = 0x8000_8000_8000_8000UL;

    private readonly Graph _graph;
    private readonly int[] _earliest;
    private readonly int[] _durations;
    private readonly int _words, _horizon;
    // Per operation, _words words each: what it adds to a cycle, and the most each lane may hold before it joins (capacity − amount).
    private readonly ulong[] _demand, _limit;

    private GridGenerator(Graph graph, int[] earliest, int[] durations, int words, int horizon, ulong[] demand, ulong[] limit)
    {
        (_graph, _earliest, _durations, _words, _horizon, _demand, _limit) = (graph, earliest, durations, words, horizon, demand, limit);
    }

    /// <summary>
    /// A grid generator for the problem, or null with maximum lags, windows, zero-lag cycles, a capacity beyond a lane (2^15 − 1)
    /// or too long a horizon.
    /// </summary>
    public static GridGenerator? For(Problem problem, Graph graph, long[] earliest)
    {
        var n = problem.Count;
        if (problem.HasNegativeLags || problem.Windows.Count > 0 || n == 0) return null;
        // The resources some operation uses, each a lane.
        var used = Enumerable.Range(0, problem.Capacities.Count)
            .Where(r => Enumerable.Range(0, n).Any(i => problem.Demands[i].Any(d => d.Resource == r && d.Amount > 0))).ToArray();
        if (used.Any(r => problem.Capacities[r] >= 1 << (LaneBits - 1))) return null;
        var lane = new Dictionary<int, int>();
        foreach (var r in used) lane[r] = lane.Count;
        var words = Math.Max(1, (used.Length + Lanes - 1) / Lanes);
        // No start lies beyond the latest temporal start plus, for each operation, the longer of its duration and its lags out:
        // each placed operation pushes the end of what is booked, or the earliest start of its successors, by at most that.
        var horizon = earliest.Max() + 1;
        var demand = new ulong[n * words];
        var limit = new ulong[n * words];
        for (var i = 0; i < n; i++)
        {
            var reach = problem.Durations[i];
            for (var e = graph.SuccStart[i]; e < graph.SuccStart[i + 1]; e++) reach = Math.Max(reach, graph.SuccLag[e]);
            horizon += reach;
            if (horizon * words > MaxCells) return null;
            var amounts = new long[used.Length];
            foreach (var d in problem.Demands[i])
                if (d.Amount > 0) amounts[lane[d.Resource]] += d.Amount;
            for (var l = 0; l < used.Length; l++)
            {
                if (amounts[l] > problem.Capacities[used[l]]) return null;
                var shift = LaneBits * (l % Lanes);
                demand[i * words + l / Lanes] |= (ulong)amounts[l] << shift;
                limit[i * words + l / Lanes] |= (ulong)(problem.Capacities[used[l]] - amounts[l]) << shift;
            }
        }
        if (Temporal.TopologicalOrder(n, graph) is null) return null;   // zero-lag cycles: the general generator breaks them
        return new GridGenerator(graph, earliest.Select(t => (int)t).ToArray(), problem.Durations.Select(d => (int)d).ToArray(), words,
            (int)horizon, demand, limit);
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
            for (var w = 0; w < _words; w++)
            {
                var add = _demand[j * _words + w];
                for (int c = t * _words + w, end = (t + duration) * _words; c < end; c += _words) usage[c] += add;
            }
            starts[j] = t;
            for (var e = succStart[j]; e < succStart[j + 1]; e++)
                if (--waiting[succ[e]] == 0) Insert(succ[e]);
        }
        // Leave the grid empty for the next run: undo every booking (cheaper than clearing the whole horizon).
        for (var j = 0; j < n; j++) Array.Clear(usage, (int)starts[j] * _words, _durations[j] * _words);
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
        var known = t;
        while (true)
        {
            var c = t + duration - 1;
            while (c >= known && Fits(usage, j, c)) c--;
            if (c < known) return t;
            (known, t) = (t + duration, c + 1);
        }
    }

    /// <summary>Whether cycle <paramref name="c"/> has room for operation <paramref name="j"/> in every lane.</summary>
    private bool Fits(ulong[] usage, int j, int c)
    {
        for (var w = 0; w < _words; w++)
            if ((((_limit[j * _words + w] | Top) - usage[c * _words + w]) & Top) != Top) return false;
        return true;
    }
}
