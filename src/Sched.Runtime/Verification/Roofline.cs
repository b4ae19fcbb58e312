using Sched.Runtime.Operations;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Verification;

/// <summary>
/// The roofline bound of a set of instructions: all their FLOPs at the peak of every unit together, and all the
/// bytes they move at the bandwidth of every link together. It holds for any tiling and placement.
/// </summary>
public static class Roofline
{
    public static (long Cycles, string Kind) Of(Machine machine, IReadOnlyList<Instruction> instructions)
    {
        double flops = 0, bytes = 0;
        foreach (var i in instructions)
            if (i.Op.IsTransfer()) bytes += i.Bytes;
            else if (i.Op.IsCompute()) flops += OperationCatalogue.Of(i.Op).Flops(i.M, i.K, i.N, i.Args);
        var peak = machine.Units.Sum(u => u.FlopsPerCycle);
        var bandwidth = machine.Links.Sum(l => l.BytesPerCycle * l.Lanes);
        var compute = peak > 0 ? (long)Math.Ceiling(flops / peak) : 0;
        var memory = bandwidth > 0 ? (long)Math.Ceiling(bytes / bandwidth) : 0;
        return compute >= memory ? (compute, "roofline, compute") : (memory, "roofline, bandwidth");
    }
}
