using Sched.Runtime.Schedules;

namespace Sched.Runtime.Operations;

/// <summary>Softmax over each row: e^(x − max) ÷ Σ e^(x − max); 5 FLOP an element (max, subtract, exp, sum, divide).</summary>
public sealed class Softmax : RowWise
{
    public override string Name => "softmax";
    public override Opcode Opcode => Opcode.Softmax;
    public override int Arity => 1;
    public override string Summary => "softmax over each row of x";
    protected override double FlopsPerElement => 5;

    protected override void Row(Span<double> row, IReadOnlyList<double[]> vectors)
    {
        var max = double.NegativeInfinity;
        foreach (var v in row) max = Math.Max(max, v);
        var sum = 0.0;
        for (var c = 0; c < row.Length; c++) sum += row[c] = Math.Exp(row[c] - max);
        for (var c = 0; c < row.Length; c++) row[c] /= sum;
    }
}
