using Sched.Compiler.Lowering;

namespace Sched.Compiler.Scheduling;

/// <summary>
/// Schedules a program with a <c>repeat</c> step: the operations before it (the prologue) by the solver, the
/// repeated step by modulo scheduling from its prologue's end, and the operations after it (the epilogue) once
/// the last iteration is done. The whole is verified against the full problem.
/// </summary>
public static class StepScheduler
{
    public sealed record Result(long[] Starts, ModuloSchedule Modulo, long IterationLength);

    public static Result? Solve(Problem problem, RepeatRegion region, SolverOptions options)
    {
        var end = region.First + region.PerIteration * region.Iterations;
        var prologue = Solve(Sub(problem, 0, region.First), options);
        var epilogue = Solve(Sub(problem, end, problem.Count), options);
        if (prologue is null || epilogue is null) return null;

        // Modulo scheduling assumes every step is the same: same durations and the same resources.
        for (var k = 1; k < region.Iterations; k++)
            for (var i = 0; i < region.PerIteration; i++)
            {
                var (a, b) = (region.First + i, region.First + k * region.PerIteration + i);
                if (problem.Durations[a] != problem.Durations[b] || !problem.Demands[a].SequenceEqual(problem.Demands[b])) return null;
            }
        var kernel = Sub(problem, region.First, region.First + region.PerIteration);
        var carried = new List<CarriedDependence>();
        foreach (var d in problem.Dependences)
        {
            if (d.From < region.First || d.From >= region.First + region.PerIteration || d.To >= end) continue;
            var distance = (d.To - region.First) / region.PerIteration;
            if (distance > 0) carried.Add(new CarriedDependence(d.From - region.First,
                d.To - region.First - distance * region.PerIteration, distance, d.MinLag));
        }
        var modulo = ModuloScheduler.Solve(kernel, carried, region.Iterations);
        if (modulo is null) return null;

        var starts = new long[problem.Count];
        Array.Copy(prologue, starts, prologue.Length);
        // The step and the epilogue start at whole periods of their windows, so every fibre tap keeps its phase.
        var offset = AlignUp(Sub(problem, 0, region.First).Makespan(prologue), kernel.WindowPeriod());
        for (var k = 0; k < region.Iterations; k++)
            for (var i = 0; i < region.PerIteration; i++)
                starts[region.First + k * region.PerIteration + i] = offset + modulo.Offsets[i] + k * modulo.Interval;
        var regionEnd = 0L;
        for (var i = region.First; i < end; i++) regionEnd = Math.Max(regionEnd, starts[i] + problem.Durations[i] + problem.Latencies[i]);
        regionEnd = AlignUp(regionEnd, Sub(problem, end, problem.Count).WindowPeriod());
        for (var i = end; i < problem.Count; i++) starts[i] = regionEnd + epilogue[i - end];
        // What the parts cannot see of each other (a dependence from the prologue past the step, say) is caught here: no schedule.
        return problem.Verify(starts, checkMemory: false) is null ? new Result(starts, modulo, kernel.Makespan(modulo.Offsets)) : null;
    }

    private static long[]? Solve(Problem p, SolverOptions options) =>
        p.Count == 0 ? [] : Solver.Solve(p, options).Solution?.Starts;

    /// <summary>The operations [from, to) with the dependences and windows among them.</summary>
    private static Problem Sub(Problem problem, int from, int to)
    {
        var sub = new Problem(problem.ResourceNames, problem.Capacities);
        for (var i = from; i < to; i++) sub.AddOperation(problem.Durations[i], problem.Latencies[i], problem.Demands[i]);
        foreach (var d in problem.Dependences)
            if (d.From >= from && d.From < to && d.To >= from && d.To < to) sub.AddDependence(d.From - from, d.To - from, d.MinLag);
        foreach (var (op, w) in problem.Windows)
            if (op >= from && op < to) sub.SetWindow(op - from, w.Period, w.Phase);
        return sub;
    }

    private static long AlignUp(long t, long period) => period <= 1 ? t : (t + period - 1) / period * period;
}
