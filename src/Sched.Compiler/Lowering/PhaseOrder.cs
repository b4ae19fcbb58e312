using Sched.Compiler.Scheduling;

namespace Sched.Compiler.Lowering;

/// <summary>
/// Phases run one after another, as a serving engine runs a request's prefill before its decode: every operation of a phase
/// starts after every operation of the phase before it has ended, so <c>time(PHASE)</c> measures that phase alone.
/// </summary>
public static class PhaseOrder
{
    /// <summary>
    /// Chains consecutive phases, given as ranges of operations [First, End). Linear in the edges: the earlier phase's sinks
    /// (operations no later operation of that phase waits for) gate one root of the later phase, and its other roots wait for
    /// that root's start, so the whole later phase follows the whole earlier one.
    /// </summary>
    public static void Chain(Problem problem, IReadOnlyList<(int First, int End)> phases)
    {
        if (phases.Count < 2) return;
        var phaseOf = new int[problem.Count];
        Array.Fill(phaseOf, -1);
        for (var p = 0; p < phases.Count; p++)
            for (var op = phases[p].First; op < phases[p].End; op++) phaseOf[op] = p;
        var waitedFor = new bool[problem.Count];   // a later operation of its own phase waits for it
        var waits = new bool[problem.Count];       // it waits for an earlier operation of its own phase
        foreach (var d in problem.Dependences)
            if (d.MinLag >= 0 && phaseOf[d.From] >= 0 && phaseOf[d.From] == phaseOf[d.To])
                (waitedFor[d.From], waits[d.To]) = (true, true);
        for (var p = 1; p < phases.Count; p++)
        {
            var (before, after) = (phases[p - 1], phases[p]);
            var roots = Enumerable.Range(after.First, after.End - after.First).Where(op => !waits[op]).ToList();
            if (roots.Count == 0 || before.End == before.First) continue;
            var gate = roots[0];
            for (var op = before.First; op < before.End; op++)
                if (!waitedFor[op]) problem.AddDependence(op, gate, problem.Durations[op] + problem.Latencies[op]);
            foreach (var root in roots.Skip(1)) problem.AddDependence(gate, root, 0);
        }
    }
}
