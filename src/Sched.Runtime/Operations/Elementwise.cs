using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Operations;

/// <summary>
/// An operation applied element by element to operands of one shape and dtype; output block j reads block j of each
/// operand. Subclasses give the arity, the FLOPs an element and the function.
/// </summary>
public abstract class Elementwise : Operation
{
    public override UnitKind Unit => UnitKind.Vector;

    protected abstract double FlopsPerElement { get; }

    protected abstract double Apply(double a, double b);

    public override Shape Result(Call call, out ShapeError? error)
    {
        error = null;
        var first = call.Shapes[0];
        foreach (var other in call.Shapes.Skip(1))
            if (other.Rows != first.Rows || other.Cols != first.Cols)
                error = new ShapeError(false, $"{Name} needs operands of one shape, not {first} and {other}");
            else if (other.Dtype != first.Dtype)
                error = new ShapeError(true, $"{Name} needs operands of one dtype, not {first.Dtype.Name()} and {other.Dtype.Name()}");
        return first;
    }

    public override double Flops(int m, int k, int n, int[] args) => FlopsPerElement * m * n;

    public override Work Block(Call call, IReadOnlyList<int[]> operandTiles, int block) =>
        new(operandTiles.Select(t => t[block]).ToArray(), call.Shapes[0].Rows, 0, Columns(call, call.Shapes[0].Cols, block).Width, []);

    protected override int AlignedOperands(IReadOnlyList<int[]> operandTiles, Work whole) => whole.Operands.Length;

    public override bool Fits(Instruction ins, IReadOnlyList<Tile> operands, Tile result) =>
        operands.Count == Arity && operands.All(a => a.Rows == ins.M && a.Cols == ins.N) && result.Rows == ins.M && result.Cols == ins.N;

    public override double[] Kernel(Instruction ins, IReadOnlyList<(double[] Values, int Cols)> operands) =>
        Map(operands.Select(o => o.Values).ToArray());

    public override double[] Evaluate(Call call, IReadOnlyList<double[]> operands) => Map(operands);

    private double[] Map(IReadOnlyList<double[]> operands)
    {
        var a = operands[0];
        var result = new double[a.Length];
        for (var i = 0; i < a.Length; i++) result[i] = Apply(a[i], operands.Count > 1 ? operands[1][i] : 0);
        return result;
    }
}
