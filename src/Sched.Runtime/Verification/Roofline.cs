using Sched.Runtime.Operations;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Verification;

/// <summary>
/// The roofline bound of a set of instructions: all their FLOPs at the peak of every unit together, and all the
/// bytes they move at the bandwidth of every link together. It holds for any tiling and placement. Units may have a peak per
/// dtype, so the compute side is the larger of: each dtype's FLOPs at all units' peaks for that dtype, and all FLOPs at all
/// units' best peaks (a unit serves one dtype at a time).
/// </summary>
public static class Roofline
{
    public static (long Cycles, string Kind) Of(Machine machine, IReadOnlyList<Instruction> instructions)
    {
        double bytes = 0;
        var flops = new Dictionary<DataType, double>();
        foreach (var i in instructions)
            if (i.Op.IsTransfer()) bytes += i.Bytes;
            else if (i.Op.IsCompute())
                flops[i.Dtype] = flops.GetValueOrDefault(i.Dtype) + OperationCatalogue.Of(i.Op).Flops(i.M, i.K, i.N, i.Args);
        var bandwidth = machine.Links.Sum(l => l.BytesPerCycle * l.Lanes);
        var compute = ComputeCycles(machine, flops);
        var memory = bandwidth > 0 ? (long)Math.Ceiling(bytes / bandwidth) : 0;
        return compute >= memory ? (compute, "roofline, compute") : (memory, "roofline, bandwidth");
    }

    private static long ComputeCycles(Machine machine, Dictionary<DataType, double> flops)
    {
        if (machine.Units.Count == 0 || flops.Count == 0) return 0;
        var each = flops.Max(f => f.Value / machine.Units.Sum(u => u.PeakPerCycle(f.Key)));
        var best = machine.Units.Sum(u => flops.Keys.Max(d => u.PeakPerCycle(d)));
        return (long)Math.Ceiling(Math.Max(each, flops.Values.Sum() / best));
    }
}
