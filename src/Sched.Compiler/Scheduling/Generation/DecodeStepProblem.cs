namespace Sched.Compiler.Scheduling.Generation;

/// <summary>
/// A realistic large scheduling problem for benchmarks: one decode step of a transformer, finely tiled, on a
/// target of 8 matrix units and 2 vector units, each with a load link (2 lanes) and a store link. Every layer
/// has q, k, v, attention, o, gate, up and down; each matmul tile loads its weight slice and the activation,
/// computes, and stores; a zero-length barrier per operation joins its tiles before the next one starts.
/// Durations are drawn from a seeded generator, so a size and seed always give the same problem.
/// </summary>
public static class DecodeStepProblem
{
    private const int MatrixUnits = 8;
    private const int VectorUnits = 2;

    public static Problem Generate(int operations, int seed = 1)
    {
        var random = new Random(seed);
        var units = MatrixUnits + VectorUnits;
        var names = new List<string>();
        var capacities = new List<int>();
        for (var u = 0; u < units; u++) { names.Add(u < MatrixUnits ? $"mxu[{u}]" : $"vpu[{u - MatrixUnits}]"); capacities.Add(1); }
        for (var u = 0; u < units; u++) { names.Add($"load->{names[u]}"); capacities.Add(2); }
        for (var u = 0; u < units; u++) { names.Add($"{names[u]}->store"); capacities.Add(1); }
        var problem = new Problem(names, capacities);

        string[] layer = ["q", "k", "v", "attention", "o", "gate", "up", "down"];
        var previous = problem.AddOperation(0, 0);   // the step's input is ready
        var next = 0;
        while (problem.Count < operations)
        {
            foreach (var op in layer)
            {
                var vector = op == "attention";
                var tiles = op is "gate" or "up" or "down" ? 48 : 16;
                var barrier = -1;
                var stores = new List<int>(tiles);
                for (var t = 0; t < tiles && problem.Count + 5 <= operations; t++)
                {
                    var unit = vector ? MatrixUnits + next++ % VectorUnits : next++ % MatrixUnits;
                    var weight = problem.AddOperation(48 + random.Next(32), 6, new Demand(units + unit, 1));
                    var activation = problem.AddOperation(4 + random.Next(4), 6, new Demand(units + unit, 1));
                    var compute = problem.AddOperation(12 + random.Next(24), 8, new Demand(unit, 1));
                    var store = problem.AddOperation(2 + random.Next(3), 8, new Demand(2 * units + unit, 1));
                    problem.AddDependence(previous, activation, problem.Durations[previous] + problem.Latencies[previous]);
                    problem.AddDependence(weight, compute, 48 + 6 + problem.Durations[weight] - 48);
                    problem.AddDependence(activation, compute, problem.Durations[activation] + 6);
                    problem.AddDependence(compute, store, problem.Durations[compute] + 8);
                    stores.Add(store);
                }
                if (stores.Count == 0) break;
                barrier = problem.AddOperation(0, 0);
                foreach (var s in stores) problem.AddDependence(s, barrier, problem.Durations[s] + 8);
                previous = barrier;
            }
            if (problem.Count + 5 > operations) break;
        }
        // Fill up to exactly the requested count with independent vector work (logging, sampling).
        while (problem.Count < operations) problem.AddOperation(1 + random.Next(4), 0,
            new Demand(MatrixUnits + problem.Count % VectorUnits, 1));
        return problem;
    }
}
