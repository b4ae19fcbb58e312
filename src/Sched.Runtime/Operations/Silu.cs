using Sched.Runtime.Schedules;

namespace Sched.Runtime.Operations;

/// <summary>x ÷ (1 + e^−x); counted as 4 FLOP an element (exp, add, divide, multiply).</summary>
public sealed class Silu : Elementwise
{
    public override string Name => "silu";
    public override Opcode Opcode => Opcode.Silu;
    public override string Summary => "x ÷ (1 + e^−x) element by element";
    public override int Arity => 1;
    protected override double FlopsPerElement => 4;
    protected override double Apply(double a, double b) => a / (1 + Math.Exp(-a));
}
