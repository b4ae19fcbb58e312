using Sched.Runtime.Schedules;

namespace Sched.Runtime.Operations;

/// <summary>GELU, tanh form: ½x(1 + tanh(√(2/π)(x + 0.044715x³))); counted as 8 FLOP an element.</summary>
public sealed class Gelu : Elementwise
{
    public override string Name => "gelu";
    public override Opcode Opcode => Opcode.Gelu;
    public override int Arity => 1;
    public override string Summary => "GELU (tanh form) element by element";
    protected override double FlopsPerElement => 8;
    protected override double Apply(double a, double b) => 0.5 * a * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (a + 0.044715 * a * a * a)));
}
