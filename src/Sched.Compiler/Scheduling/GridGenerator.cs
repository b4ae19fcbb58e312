namespace Sched.Compiler.Scheduling;

/// <summary>
/// Serial schedule generation for small problems with minimum lags only, on a time grid: each resource's usage is an array with
/// one cell a cycle, so finding room is a scan of the cells an operation would cover, with no segment lists to keep. It makes
/// the schedule <see cref="SerialGenerator"/> makes for the same key (smallest key first, earliest start with room), several
/// times faster, so the genetic search gets more passes in its second.
/// </summary>
internal sealed class GridGenerator
{
    // Cells (used resources × horizon) above which the grid's memory stops paying; larger problems keep the segment profiles.
    private const long MaxCells = 1 << 20;

    private readonly Graph _graph;
    private readonly long[] _earliest;
    private readonly int[] _durations;
    private readonly (int Row, int Amount, int Limit)[][] _demands;   // per operation: its resources' rows, amounts, capacity − amount
    private readonly int _rows;
    private readonly int _horizon;

    private GridGenerator(Graph graph, long[] earliest, int[] durations, (int Row, int Amount, int Limit)[][] demands, int rows,
        int horizon)
    {
        (_graph, _earliest, _durations, _demands, _rows, _horizon) = (graph, earliest, durations, demands, rows, horizon);
    }

    /// <summary>A grid generator for the problem, or null with maximum lags, windows, zero-lag cycles or too long a horizon.</summary>
    public static GridGenerator? For(Problem problem, Graph graph, long[] earliest)
    {
        var n = problem.Count;
        if (problem.HasNegativeLags || problem.Windows.Count > 0 || n == 0) return null;
        // No start lies beyond the latest temporal start plus, for each operation, the longer of its duration and its lags out:
        // each placed operation pushes the end of what is booked, or the earliest start of its successors, by at most that.
        var horizon = earliest.Max() + 1;
        var rowOf = new Dictionary<int, int>();
        var demands = new (int Row, int Amount, int Limit)[n][];
        for (var i = 0; i < n; i++)
        {
            var reach = problem.Durations[i];
            for (var e = graph.SuccStart[i]; e < graph.SuccStart[i + 1]; e++) reach = Math.Max(reach, graph.SuccLag[e]);
            horizon += reach;
            demands[i] = problem.Demands[i].Where(d => d.Amount > 0)
                .Select(d => (rowOf.TryGetValue(d.Resource, out var r) ? r : rowOf[d.Resource] = rowOf.Count,
                    d.Amount, problem.Capacities[d.Resource] - d.Amount))
                .ToArray();
            if (horizon * Math.Max(1, rowOf.Count) > MaxCells) return null;
        }
        if (Temporal.TopologicalOrder(n, graph) is null) return null;   // zero-lag cycles: the general generator breaks them
        var durations = problem.Durations.Select(d => (int)d).ToArray();
        return new GridGenerator(graph, earliest, durations, demands, rowOf.Count, (int)horizon);
    }

    /// <summary>Starts for every operation: the serial scheme by smallest key, ties to the smaller index.</summary>
    public long[]? Run(double[] key)
    {
        var n = _durations.Length;
        // Scratch of this thread, reused: at two islands' rate, fresh grids made the collector the bottleneck.
        var scratch = _scratch ??= new Scratch();
        var usage = scratch.Usage.Length >= _rows * _horizon ? scratch.Usage : scratch.Usage = new int[_rows * _horizon];
        var waiting = scratch.Waiting.Length >= n ? scratch.Waiting : scratch.Waiting = new int[n];
        var eligible = scratch.Eligible.Length >= n ? scratch.Eligible : scratch.Eligible = new int[n];
        var starts = new long[n];
        for (var j = 0; j < n; j++) waiting[j] = _graph.PredStart[j + 1] - _graph.PredStart[j];
        // The eligible operations, few at a time in problems this small: a scan for the smallest key beats a heap.
        var count = 0;
        for (var j = 0; j < n; j++)
            if (waiting[j] == 0) eligible[count++] = j;
        while (count > 0)
        {
            var pick = 0;
            for (var i = 1; i < count; i++)
            {
                var (a, b) = (eligible[i], eligible[pick]);
                if (key[a] < key[b] || (key[a] == key[b] && a < b)) pick = i;
            }
            var j = eligible[pick];
            eligible[pick] = eligible[--count];
            var est = _earliest[j];
            for (var e = _graph.PredStart[j]; e < _graph.PredStart[j + 1]; e++)
                est = Math.Max(est, starts[_graph.Pred[e]] + _graph.PredLag[e]);
            var t = (int)est;
            var demands = _demands[j];
            var duration = _durations[j];
            if (duration > 0) t = Fit(usage, demands, t, duration);
            foreach (var (row, amount, _) in demands)
                for (int c = row * _horizon + t, end = c + duration; c < end; c++) usage[c] += amount;
            starts[j] = t;
            for (var e = _graph.SuccStart[j]; e < _graph.SuccStart[j + 1]; e++)
                if (--waiting[_graph.Succ[e]] == 0) eligible[count++] = _graph.Succ[e];
        }
        // Leave the grid empty for the next run: undo every booking (cheaper than clearing the whole horizon).
        for (var j = 0; j < n; j++)
            foreach (var (row, _, _) in _demands[j])
                Array.Clear(usage, row * _horizon + (int)starts[j], _durations[j]);
        return starts;
    }

    [ThreadStatic] private static Scratch? _scratch;

    private sealed class Scratch
    {
        public int[] Usage = [], Waiting = [], Eligible = [];
    }

    /// <summary>The earliest start from <paramref name="t"/> at which every demanded row has room for the whole duration.</summary>
    private int Fit(int[] usage, (int Row, int Amount, int Limit)[] demands, int t, int duration)
    {
        // One pass forward counting the free cycles in a row; a full cell in any row starts the count again.
        var run = 0;
        var c = t;
        while (run < duration)
        {
            var free = true;
            foreach (var (row, _, limit) in demands)
                if (usage[row * _horizon + c] > limit) { free = false; break; }
            c++;
            run = free ? run + 1 : 0;
        }
        return c - duration;
    }
}
