using Sched.Runtime.Schedules;

namespace Sched.Runtime.Operations;

/// <summary>
/// An explicit move: <c>let y = copy(x) in sram;</c> brings x's tiles through a unit into another memory (or another chip's), so a
/// program can say where data goes and the schedule shows when. No FLOPs; its time is the transfers'.
/// </summary>
public sealed class Copy : Elementwise
{
    public override string Name => "copy";
    public override Opcode Opcode => Opcode.Copy;
    public override int Arity => 1;
    public override string Summary => "copy(x) in MEMORY: move x through a unit into another memory";
    protected override double FlopsPerElement => 0;
    public override bool Identity => true;
    protected override double Apply(double a, double b) => a;
}
