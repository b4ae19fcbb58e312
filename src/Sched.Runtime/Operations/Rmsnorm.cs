using Sched.Runtime.Schedules;

namespace Sched.Runtime.Operations;

/// <summary>RMS norm with a gain: x ÷ √(mean(x²) + ε) × g, ε = 1e-5 (Llama 2's); 4 FLOP an element.</summary>
public sealed class Rmsnorm : RowWise
{
    public const double Epsilon = 1e-5;

    public override string Name => "rmsnorm";
    public override Opcode Opcode => Opcode.Rmsnorm;
    public override int Arity => 2;
    public override string Summary => "rmsnorm(x, g): x ÷ √(mean(x²) + 1e-5) × g, g of shape [1, cols]";
    protected override double FlopsPerElement => 4;

    protected override void Row(Span<double> row, IReadOnlyList<double[]> vectors)
    {
        var squares = 0.0;
        foreach (var v in row) squares += v * v;
        var scale = 1 / Math.Sqrt(squares / row.Length + Epsilon);
        for (var c = 0; c < row.Length; c++) row[c] = row[c] * scale * vectors[0][c];
    }
}
