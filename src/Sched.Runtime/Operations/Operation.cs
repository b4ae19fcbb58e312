using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Operations;

/// <summary>The shape of a (non-stacked) tensor an operation reads or makes.</summary>
public readonly record struct Shape(DataType Dtype, int Rows, int Cols)
{
    public override string ToString() => $"{Dtype.Name()}[{Rows}, {Cols}]";
}

/// <summary>Why operands do not fit an operation: a shape or a dtype that does not match, said in the user's terms.</summary>
public sealed record ShapeError(bool Dtype, string Message);

/// <summary>
/// One operation of the language, in one class: its name and arity, the kind of unit it is built for, its shape and
/// dtype rules, its FLOPs, how an output column block is tiled, its kernel on tiles (functional mode) and its
/// evaluation on whole tensors (the reference interpreter). The binder, lowering, the runtime and the interpreter
/// all consult <see cref="OperationCatalogue"/> instead of switching on an opcode.
/// </summary>
public abstract class Operation
{
    public abstract string Name { get; }
    public abstract Opcode Opcode { get; }
    public abstract int Arity { get; }
    public abstract UnitKind Unit { get; }

    /// <summary>The result's shape, or an error that says what does not fit.</summary>
    public abstract Shape Result(IReadOnlyList<Shape> operands, out ShapeError? error);

    public abstract double Flops(int m, int k, int n);

    /// <summary>Output block <paramref name="block"/> (columns [offset, offset + width)): the operand tiles it reads and its M×K×N.</summary>
    public abstract (int[] Operands, int M, int K, int N) Block(IReadOnlyList<int[]> operandTiles, IReadOnlyList<Shape> operands,
        int block, int width);

    /// <summary>Whether an instruction's M×K×N agrees with the tiles it reads and writes (the checkers ask this).</summary>
    public abstract bool Fits(Instruction ins, IReadOnlyList<Tile> operands, Tile result);

    /// <summary>The instruction's result tile (row-major) from its operand tiles.</summary>
    public abstract double[] Kernel(Instruction ins, IReadOnlyList<(double[] Values, int Cols)> operands);

    /// <summary>The whole result (row-major) from whole operands: the reference the tiles are held to.</summary>
    public abstract double[] Evaluate(IReadOnlyList<double[]> operands, IReadOnlyList<Shape> shapes);
}

/// <summary>Every operation in this assembly, by opcode and by name (found by reflection: a new operation is one file).</summary>
public static class OperationCatalogue
{
    public static IReadOnlyList<Operation> All { get; } = typeof(Operation).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(Operation)) && !t.IsAbstract)
        .Select(t => (Operation)Activator.CreateInstance(t)!)
        .OrderBy(o => o.Opcode).ToArray();

    private static readonly Operation?[] ByOpcode = Enumerable.Range(0, 256)
        .Select(i => All.FirstOrDefault(o => (int)o.Opcode == i)).ToArray();

    public static Operation? Find(string name) => All.FirstOrDefault(o => o.Name == name);

    public static Operation Of(Opcode op) => ByOpcode[(int)op] ?? throw new ArgumentException($"{op} is not a compute operation");

    public static bool IsCompute(this Opcode op) => ByOpcode[(int)op] is not null;
}
