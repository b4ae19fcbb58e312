using Sched.Runtime.Schedules;

namespace Sched.Runtime.Operations;

/// <summary>a + b, one FLOP an element.</summary>
public sealed class Add : Elementwise
{
    public override string Name => "add";
    public override Opcode Opcode => Opcode.Add;
    public override string Summary => "a + b element by element";
    public override int Arity => 2;
    protected override double FlopsPerElement => 1;
    protected override double Apply(double a, double b) => a + b;
}
