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

/// <summary>A whole-number setting an operation takes by name in a call (<c>head_dim = 128</c>), with its default and range.</summary>
public sealed record Setting(string Name, long Default, long Min, long Max, string Meaning);

/// <summary>An operation applied to operands of these shapes with these settings (in the order of its <see cref="Operation.Settings"/>),
/// on a target that cuts tensors into column tiles of <see cref="TileWidth"/>.</summary>
public sealed record Call(IReadOnlyList<Shape> Shapes, IReadOnlyList<long> Settings, int TileWidth)
{
    /// <summary>Rows of the result a step makes, when a block is too tall for the unit's buffer (0: all of them in one step).</summary>
    public int RowChunk { get; init; }

    public long this[int setting] => Settings[setting];
}

/// <summary>One step of an output column block's work: the operand tiles it reads, its M×K×N, and what its kernel needs beyond
/// them. A block made in several steps (<see cref="Operation.Steps"/>) hands each the state of the one before.</summary>
public readonly record struct Work(int[] Operands, int M, int K, int N, int[] Args)
{
    /// <summary>An operand that is the state the step before left in the unit's buffer.</summary>
    public const int State = -1;

    /// <summary>The rows of each operand the step reads (null: all of them); null when it reads whole tiles only.</summary>
    public RowWindow?[]? Windows { get; init; }

    /// <summary>Columns of the fp32 state this step hands the next step of its block; 0 for the step that makes the block.</summary>
    public int StateCols { get; init; }

    /// <summary>The rows of the output block this step makes (null: all of them).</summary>
    public RowWindow? ResultRows { get; init; }
}

/// <summary>Rows [From, From + Rows) of a tile: what a step reads of a tile too long to hold whole.</summary>
public readonly record struct RowWindow(int From, int Rows);

/// <summary>
/// One operation of the language, in one class: its name and arities, its settings, the kind of unit it is built for, its
/// shape and dtype rules, its FLOPs, how an output column block is tiled, its kernel on tiles (functional mode) and its
/// evaluation on whole tensors (the reference interpreter). The binder, lowering, the runtime and the interpreters
/// all consult <see cref="OperationCatalogue"/> instead of switching on an opcode.
/// </summary>
public abstract class Operation
{
    public abstract string Name { get; }
    public abstract Opcode Opcode { get; }
    public abstract int Arity { get; }
    public abstract UnitKind Unit { get; }

    /// <summary>The operand counts it takes (most take one count).</summary>
    public virtual IReadOnlyList<int> Arities => [Arity];

    /// <summary>Its named settings, in the order a <see cref="Call"/> holds their values.</summary>
    public virtual IReadOnlyList<Setting> Settings => [];

    /// <summary>False for operations only the compiler writes (the rows of a routed batch), which a program cannot call by name.</summary>
    public virtual bool Callable => true;

    /// <summary>True for a move that computes nothing (copy): its result is its operand's value, so it keeps the operand's symbol
    /// and a tensor copied to several chips is the same tensor on each.</summary>
    public virtual bool Identity => false;

    /// <summary>One line for <c>sched ops</c> and messages.</summary>
    public abstract string Summary { get; }

    /// <summary>The result's shape, or an error that says what does not fit.</summary>
    public abstract Shape Result(Call call, out ShapeError? error);

    /// <summary>FLOPs of one instruction of this operation.</summary>
    public abstract double Flops(int m, int k, int n, int[] args);

    /// <summary>Output block <paramref name="block"/> (result columns from block × tile width): the tiles it reads, its work.</summary>
    public abstract Work Block(Call call, IReadOnlyList<int[]> operandTiles, int block);

    /// <summary>The steps output block <paramref name="block"/> is made in, in order: one for most operations; attention streams
    /// long key tiles in windows of rows.</summary>
    public virtual IReadOnlyList<Work> Steps(Call call, IReadOnlyList<int[]> operandTiles, int block)
    {
        var whole = Block(call, operandTiles, block);
        var aligned = AlignedOperands(operandTiles, whole);
        if (aligned == 0 || call.RowChunk <= 0 || whole.M <= call.RowChunk) return [whole];
        // Rows apart: each step makes rows [from, from + chunk) from the same rows of the operands that hold the result's rows.
        return Enumerable.Range(0, (whole.M + call.RowChunk - 1) / call.RowChunk).Select(w =>
        {
            var rows = new RowWindow(w * call.RowChunk, Math.Min(call.RowChunk, whole.M - w * call.RowChunk));
            return whole with
            {
                M = rows.Rows, ResultRows = rows, Windows = [.. whole.Operands.Select((_, i) => i < aligned ? rows : (RowWindow?)null)],
            };
        }).ToList();
    }

    /// <summary>How many leading operand tiles of a block's work hold the result's rows, row for row, when every row of the result
    /// depends only on the same row of those (matmul's left operand, an elementwise op's operands): such blocks can be made rows
    /// apart. 0 for operations whose rows depend on each other or on their position.</summary>
    protected virtual int AlignedOperands(IReadOnlyList<int[]> operandTiles, Work whole) => 0;

    /// <summary>
    /// The rows a step makes so that one block fits the buffer: 0 when a whole block fits it (or the operation cannot be made
    /// rows apart); else as many rows as fill half of it beside the tiles every step reads whole (the other half takes the next
    /// step's rows as they load), or all of it when half leaves no room. 0 too when not even one row fits: lowering then says what
    /// does not fit.
    /// </summary>
    public virtual int RowChunk(Call call, long buffer)
    {
        if (buffer == long.MaxValue || Result(call, out var error) is var result && error is not null) return 0;
        var table = new List<(int Operand, int Block)>();
        var indices = call.Shapes.Select((s, i) => Enumerable.Range(0, (s.Cols + call.TileWidth - 1) / call.TileWidth)
            .Select(b => { table.Add((i, b)); return table.Count - 1; }).ToArray()).ToArray();
        var whole = Block(call, indices, 0);
        var aligned = AlignedOperands(indices, whole);
        if (aligned == 0) return 0;
        long Bytes(int position, long rows)
        {
            var (operand, b) = table[whole.Operands[position]];
            var s = call.Shapes[operand];
            return s.Dtype.Bytes(rows * Math.Min(call.TileWidth, s.Cols - b * call.TileWidth));
        }
        var fixedBytes = Enumerable.Range(aligned, whole.Operands.Length - aligned)
            .Sum(p => Bytes(p, call.Shapes[table[whole.Operands[p]].Operand].Rows));
        var perRow = Enumerable.Range(0, aligned).Sum(p => Bytes(p, 1)) + result.Dtype.Bytes(whole.N);
        return Chunk(buffer, fixedBytes, perRow, whole.M);
    }

    /// <summary>Rows a step makes: 0 when all <paramref name="rows"/> fit at once; else what fits half the buffer, else all of
    /// it.</summary>
    protected static int Chunk(long buffer, long fixedBytes, long perRow, int rows)
    {
        if (fixedBytes + perRow * rows <= buffer) return 0;
        var half = (buffer / 2 - fixedBytes) / Math.Max(1, perRow);
        var chunk = half >= 1 ? half : (buffer - fixedBytes) / Math.Max(1, perRow);
        return chunk < 1 ? 0 : (int)Math.Min(chunk, rows);
    }

    /// <summary>Whether, in a repeat, each step also reads what the steps before it made (<see cref="Remembered"/> operands).</summary>
    public virtual bool Grows(IReadOnlyList<long> settings) => false;

    /// <summary>The operands a growing operation passes on to later steps, appended after its own in order.</summary>
    public virtual IReadOnlyList<int> Remembered => [];

    /// <summary>The call's settings with those the target decides filled in (attention's kv_chunk from the unit's buffer).</summary>
    public virtual IReadOnlyList<long> Resolve(Call call, long buffer) => call.Settings;

    /// <summary>Whether an instruction's M×K×N and arguments agree with the tiles it reads and writes (the checkers ask this).</summary>
    public abstract bool Fits(Instruction ins, IReadOnlyList<Tile> operands, Tile result);

    /// <summary>The instruction's result tile (row-major) from its operand tiles.</summary>
    public abstract double[] Kernel(Instruction ins, IReadOnlyList<(double[] Values, int Cols)> operands);

    /// <summary>The whole result (row-major) from whole operands: the reference the tiles are held to.</summary>
    public abstract double[] Evaluate(Call call, IReadOnlyList<double[]> operands);

    /// <summary>Result columns [offset, offset + width) of output block <paramref name="block"/>.</summary>
    protected static (int Offset, int Width) Columns(Call call, int cols, int block)
    {
        var offset = block * call.TileWidth;
        return (offset, Math.Min(call.TileWidth, cols - offset));
    }

    /// <summary>The tiles of a tensor that cover its columns [from, to).</summary>
    protected static IEnumerable<int> Covering(int[] tiles, int tileWidth, int from, int to) =>
        tiles.Skip(from / tileWidth).Take((to + tileWidth - 1) / tileWidth - from / tileWidth);

    /// <summary>Tiles side by side as one row-major array of the given rows.</summary>
    protected static (double[] Values, int Cols) SideBySide(IEnumerable<(double[] Values, int Cols)> tiles, int rows)
    {
        var list = tiles.ToList();
        var cols = list.Sum(t => t.Cols);
        var result = new double[rows * cols];
        var at = 0;
        foreach (var (values, width) in list)
        {
            for (var r = 0; r < rows; r++) Array.Copy(values, r * width, result, r * cols + at, width);
            at += width;
        }
        return (result, cols);
    }

    /// <summary>Columns [from, from + width) of a row-major array.</summary>
    protected static double[] Window(double[] values, int rows, int cols, int from, int width)
    {
        var result = new double[rows * width];
        for (var r = 0; r < rows; r++) Array.Copy(values, r * cols + from, result, r * width, width);
        return result;
    }
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
