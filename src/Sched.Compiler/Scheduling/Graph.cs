namespace Sched.Compiler.Scheduling;

/// <summary>The dependences of a problem as compact adjacency arrays (CSR), built once per solve.</summary>
internal sealed class Graph
{
    public readonly int[] SuccStart, Succ, PredStart, Pred;
    public readonly long[] SuccLag, PredLag;

    public Graph(Problem problem)
    {
        var n = problem.Count;
        var deps = problem.Dependences;
        (SuccStart, Succ, SuccLag) = Build(n, deps, d => d.From, d => d.To);
        (PredStart, Pred, PredLag) = Build(n, deps, d => d.To, d => d.From);
    }

    private static (int[], int[], long[]) Build(int n, IReadOnlyList<Dependence> deps, Func<Dependence, int> key, Func<Dependence,
        int> other)
    {
        var start = new int[n + 1];
        foreach (var d in deps) start[key(d) + 1]++;
        for (var i = 0; i < n; i++) start[i + 1] += start[i];
        var fill = (int[])start.Clone();
        var nodes = new int[deps.Count];
        var lags = new long[deps.Count];
        foreach (var d in deps)
        {
            var at = fill[key(d)]++;
            nodes[at] = other(d);
            lags[at] = d.MinLag;
        }
        return (start, nodes, lags);
    }
}
