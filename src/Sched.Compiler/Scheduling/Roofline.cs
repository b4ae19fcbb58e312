using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Compiler.Scheduling;

/// <summary>
/// The roofline bound of a lowered program: all its FLOPs at the peak of every unit together, and all the
/// bytes it moves at the bandwidth of every link together. It holds for any tiling and placement.
/// </summary>
public static class Roofline
{
    public static LowerBound Of(Machine machine, IReadOnlyList<Instruction> instructions)
    {
        double flops = 0, bytes = 0;
        foreach (var i in instructions)
            if (i.Op.IsTransfer()) bytes += i.Bytes;
            else flops += i.Op.Flops(i.M, i.K, i.N);
        var peak = machine.Units.Sum(u => u.FlopsPerCycle);
        var bandwidth = machine.Links.Sum(l => l.BytesPerCycle * l.Lanes);
        var compute = peak > 0 ? (long)Math.Ceiling(flops / peak) : 0;
        var memory = bandwidth > 0 ? (long)Math.Ceiling(bytes / bandwidth) : 0;
        return compute >= memory ? new LowerBound(compute, "roofline, compute") : new LowerBound(memory, "roofline, bandwidth");
    }
}
