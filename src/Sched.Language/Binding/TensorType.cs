using Sched.Runtime.Targets;
namespace Sched.Language.Binding;

/// <summary>
/// A dtype and a shape. Tensors are matrices [Rows, Cols] (a vector is [1, n]); a stacked weight adds a
/// leading <see cref="Layers"/> dimension (0 when not stacked).
/// </summary>
public sealed record TensorType(DataType Dtype, int Rows, int Cols, int Layers = 0)
{
    public bool IsStacked => Layers > 0;
    public TensorType Layer => this with { Layers = 0 };
    public long Elements => (long)Rows * Cols;

    public override string ToString() => IsStacked ? $"{Dtype.Name()}[{Layers}, {Rows}, {Cols}]" : $"{Dtype.Name()}[{Rows}, {Cols}]";
}
