using Sched.Runtime.Schedules;

namespace Sched.Runtime.Operations;

/// <summary>Layer norm with gain and bias: (x − mean) ÷ √(var + ε) × g + b, ε = 1e-5; 7 FLOP an element.</summary>
public sealed class Layernorm : RowWise
{
    public override string Name => "layernorm";
    public override Opcode Opcode => Opcode.Layernorm;
    public override int Arity => 3;
    public override string Summary => "layernorm(x, g, b): (x − mean) ÷ √(var + 1e-5) × g + b, g and b of shape [1, cols]";
    protected override double FlopsPerElement => 7;

    protected override void Row(Span<double> row, IReadOnlyList<double[]> vectors)
    {
        var sum = 0.0;
        foreach (var v in row) sum += v;
        var mean = sum / row.Length;
        var squares = 0.0;
        foreach (var v in row) squares += (v - mean) * (v - mean);
        var scale = 1 / Math.Sqrt(squares / row.Length + Rmsnorm.Epsilon);
        for (var c = 0; c < row.Length; c++) row[c] = (row[c] - mean) * scale * vectors[0][c] + vectors[1][c];
    }
}
