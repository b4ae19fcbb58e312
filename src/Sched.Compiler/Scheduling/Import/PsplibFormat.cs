using System.Globalization;

namespace Sched.Compiler.Scheduling.Import;

/// <summary>
/// Reads PSPLIB instances into scheduling problems: RCPSP in the <c>.sm</c> format (finish-to-start
/// precedences) and RCPSP/max in ProGen/max's <c>.SCH</c> format (start-to-start lags; a negative lag is a
/// maximum lag backwards). Dummy source and sink jobs are kept, with duration 0. A malformed file throws
/// <see cref="FormatException"/> naming the line.
/// </summary>
public static class PsplibFormat
{
    public static Problem Read(string path) =>
        Path.GetExtension(path).Equals(".sch",
            StringComparison.OrdinalIgnoreCase) ? ReadSch(File.ReadAllText(path)) : ReadSm(File.ReadAllText(path));

    public static Problem ReadSm(string text)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        int Find(string header)
        {
            var i = Array.FindIndex(lines, l => l.StartsWith(header, StringComparison.Ordinal));
            if (i < 0) throw new FormatException($"no '{header}' section");
            return i;
        }
        var successors = new List<int[]>();
        for (var i = Find("PRECEDENCE RELATIONS:") + 2; i < lines.Length && !lines[i].StartsWith('*'); i++)
        {
            var f = Numbers(lines[i], i);
            if (f.Length < 3 || f.Length != 3 + f[2])
                throw new FormatException($"line {i + 1}: expected 'job modes #successors successors...'");
            if (f[0] != successors.Count + 1) throw new FormatException($"line {i + 1}: jobs must be numbered 1, 2, … in order");
            successors.Add(f[3..].Select(s => (int)s - 1).ToArray());
        }
        var n = successors.Count;
        var durations = new long[n];
        var demands = new long[n][];
        var start = Find("REQUESTS/DURATIONS:") + 3;
        for (var j = 0; j < n; j++)
        {
            var f = Numbers(lines[start + j], start + j);
            if (f.Length < 3 || f[0] != j + 1)
                throw new FormatException($"line {start + j + 1}: expected 'job mode duration demands...' for job {j + 1}");
            durations[j] = f[2];
            demands[j] = f[3..];
        }
        var capacities = Numbers(lines[Find("RESOURCEAVAILABILITIES:") + 2], Find("RESOURCEAVAILABILITIES:") + 2);
        var problem = NewProblem(capacities, durations, demands);
        for (var j = 0; j < n; j++)
            foreach (var s in successors[j])
            {
                if (s < 0 || s >= n) throw new FormatException($"job {j + 1} names successor {s + 1}, which does not exist");
                problem.AddDependence(j, s, durations[j]);
            }
        return problem;
    }

    public static Problem ReadSch(string text)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (lines.Length == 0) throw new FormatException("the file is empty");
        var header = Numbers(lines[0], 0);
        if (header.Length < 2) throw new FormatException("line 1: expected '#activities #renewable ...'");
        var n = (int)header[0] + 2;
        var resources = (int)header[1];
        if (lines.Length < 2 * n + 2) throw new FormatException($"expected {2 * n + 2} lines for {n} activities");
        var edges = new List<(int From, int To, long Lag)>();
        for (var i = 0; i < n; i++)
        {
            var line = lines[1 + i];
            var f = Numbers(line.Replace('[', ' ').Replace(']', ' '), 1 + i);
            if (f.Length < 3 || f[0] != i)
                throw new FormatException($"line {i + 2}: expected 'id mode #successors successors... [lags]...' for activity {i}");
            var count = (int)f[2];
            if (f.Length != 3 + 2 * count) throw new FormatException($"line {i + 2}: {count} successors need {count} lags");
            for (var k = 0; k < count; k++) edges.Add((i, (int)f[3 + k], f[3 + count + k]));
        }
        var durations = new long[n];
        var demands = new long[n][];
        for (var i = 0; i < n; i++)
        {
            var f = Numbers(lines[1 + n + i], 1 + n + i);
            if (f.Length < 3 + resources || f[0] != i)
                throw new FormatException($"line {n + i + 2}: expected 'id mode duration demands...' for activity {i}");
            durations[i] = f[2];
            demands[i] = f[3..(3 + resources)];
        }
        var capacities = Numbers(lines[1 + 2 * n], 1 + 2 * n)[..resources];
        var problem = NewProblem(capacities, durations, demands);
        foreach (var (from, to, lag) in edges)
        {
            if (to < 0 || to >= n) throw new FormatException($"activity {from} names successor {to}, which does not exist");
            problem.AddDependence(from, to, lag);
        }
        return problem;
    }

    /// <summary>
    /// The instance cut to its source and its first <paramref name="jobs"/> jobs with the dependences among them: a set's larger
    /// instances give small ones as tight as they are (their optima unknown). An <c>.sm</c> file numbers jobs after their
    /// predecessors, so every kept job keeps all its predecessors; in a <c>.SCH</c> file lags to dropped activities drop too.
    /// </summary>
    public static Problem FirstJobs(Problem problem, int jobs)
    {
        var kept = Math.Min(problem.Count, jobs + 1);
        var cut = new Problem(problem.ResourceNames, problem.Capacities);
        for (var j = 0; j < kept; j++) cut.AddOperation(problem.Durations[j], problem.Latencies[j], problem.Demands[j]);
        foreach (var d in problem.Dependences)
            if (d.From < kept && d.To < kept) cut.AddDependence(d.From, d.To, d.MinLag);
        return cut;
    }

    private static Problem NewProblem(long[] capacities, long[] durations, long[][] demands)
    {
        var names = Enumerable.Range(1, capacities.Length).Select(r => $"R{r}").ToList();
        var problem = new Problem(names, capacities.Select(c => (int)c).ToList());
        for (var j = 0; j < durations.Length; j++)
        {
            if (demands[j].Length < capacities.Length)
                throw new FormatException($"job {j + 1} gives {demands[j].Length} demands for {capacities.Length} resources");
            problem.AddOperation(durations[j], 0,
                Enumerable.Range(0, capacities.Length).Where(r => demands[j][r] > 0).Select(r => new Demand(r,
                    (int)demands[j][r])).ToArray());
        }
        return problem;
    }

    private static long[] Numbers(string line, int index)
    {
        var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var numbers = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!long.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out numbers[i]))
                throw new FormatException($"line {index + 1}: '{parts[i]}' is not a whole number");
        return numbers;
    }
}
