using Sched.Language.Text;
using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Language.Binding;

/// <summary>An expression whose value is a tensor.</summary>
public abstract record BoundTensorExpression(TensorType Type, TextSpan Span);

/// <summary>A named tensor as it stands.</summary>
public sealed record BoundTensorReference(TensorSymbol Symbol, TextSpan Span) : BoundTensorExpression(Symbol.Type, Span);

/// <summary>Rows [From, From + Rows) of a value, read where they lie (the compiler writes it: one expert's tokens of a permute).</summary>
public sealed record BoundRowView(BoundTensorExpression Source, int From, int Rows, TextSpan Span)
    : BoundTensorExpression(Source.Type with { Rows = Rows }, Span);

/// <summary><c>w[l]</c>: one layer of a stacked weight.</summary>
public sealed record BoundLayer(TensorSymbol Weight, BoundIndex Index, TextSpan Span) : BoundTensorExpression(Weight.Type.Layer, Span);

/// <summary>
/// An operation; <see cref="Pool"/> and <see cref="Memory"/> are the user's <c>on</c> and <c>in</c>, or null where the
/// placement stage chooses.
/// </summary>
/// <summary>A call of a block, inlined: its statements (parameters first bound to the arguments), then the value it returns.</summary>
public sealed record BoundBlockCall(IReadOnlyList<BoundStatement> Body, BoundTensorExpression Result, TextSpan Span)
    : BoundTensorExpression(Result.Type, Span);

public sealed record BoundOperation(Opcode Op, IReadOnlyList<BoundTensorExpression> Arguments, string? Pool, string? Memory,
    TensorType Type,
    TextSpan Span) : BoundTensorExpression(Type, Span)
{
    /// <summary>Where the user's <c>in</c> is written, for diagnostics about it.</summary>
    public TextSpan? MemorySpan { get; init; }

    /// <summary>The operation's settings in the order it declares them (defaults filled in).</summary>
    public IReadOnlyList<long> Settings { get; init; } = [];

    /// <summary>Rows of its result a step makes when a block does not fit the smallest buffer it may run on (0: whole blocks).</summary>
    public int RowChunk { get; init; }

    /// <summary>With a group of chips as its pool (<c>on lpu[k]</c>) or memory (<c>in lpu[k]</c>): which chip, per loop step.</summary>
    public BoundIndex? PoolChip { get; init; }
    public BoundIndex? MemoryChip { get; init; }
}

/// <summary>What a collective does with its parts (one a chip) or its one source tensor.</summary>
public enum CollectiveKind
{
    /// <summary>Sums the parts; the sum is on every chip.</summary>
    AllReduce,
    /// <summary>Puts the parts side by side; the whole is on every chip.</summary>
    AllGather,
    /// <summary>Sums the parts; each block of the sum is on one chip (block j on the chip that finished it).</summary>
    ReduceScatter,
    /// <summary>Copies one chip's tensor to every chip.</summary>
    Broadcast,
}

/// <summary>
/// A collective over the chips of a group: <c>allreduce(part)</c>, <c>allgather(part)</c>, <c>reducescatter(part)</c> of a stacked
/// tensor whose layer k was made on chip k, or <c>broadcast(x)</c> of a tensor on one chip.
/// </summary>
public sealed record BoundCollective(CollectiveKind Kind, TensorSymbol? Parts, BoundTensorExpression? Source, string Group,
    TensorType Type, TextSpan Span) : BoundTensorExpression(Type, Span)
{
    public static IReadOnlyDictionary<string, CollectiveKind> Names { get; } = new Dictionary<string, CollectiveKind>
    {
        ["allreduce"] = CollectiveKind.AllReduce, ["allgather"] = CollectiveKind.AllGather,
        ["reducescatter"] = CollectiveKind.ReduceScatter, ["broadcast"] = CollectiveKind.Broadcast,
    };

    public string Name => Names.First(n => n.Value == Kind).Key;

    /// <summary>Whether the parts are summed (all-reduce, reduce-scatter).</summary>
    public bool Sums => Kind is CollectiveKind.AllReduce or CollectiveKind.ReduceScatter;
}

/// <summary>An integer expression over loop variables, used to index stacked weights.</summary>
public abstract record BoundIndex(TextSpan Span)
{
    public abstract long Evaluate(IReadOnlyDictionary<LoopVariable, long> loops);
}

public sealed record BoundIndexConstant(long Value, TextSpan Span) : BoundIndex(Span)
{
    public override long Evaluate(IReadOnlyDictionary<LoopVariable, long> loops) => Value;
}

public sealed record BoundIndexVariable(LoopVariable Variable, TextSpan Span) : BoundIndex(Span)
{
    public override long Evaluate(IReadOnlyDictionary<LoopVariable, long> loops) => loops[Variable];
}

public sealed record BoundIndexBinary(BoundIndex Left, char Operator, BoundIndex Right, TextSpan Span) : BoundIndex(Span)
{
    public override long Evaluate(IReadOnlyDictionary<LoopVariable, long> loops)
    {
        var (l, r) = (Left.Evaluate(loops), Right.Evaluate(loops));
        return Operator switch
        {
            '+' => l + r,
            '-' => l - r,
            '*' => l * r,
            '/' => r == 0 ? 0 : l / r,
            _ => r == 0 ? 0 : l % r,
        };
    }
}

public enum Metric { Cycles, Time, Bound, TokensPerSecond }

/// <summary>An expression of a contract over the measured metrics; numbers are in base units (cycles, seconds).</summary>
public abstract record BoundMetricExpression(TextSpan Span);
public sealed record BoundMetricNumber(double Value, TextSpan Span) : BoundMetricExpression(Span);
public sealed record BoundMetricName(Metric Metric, TextSpan Span) : BoundMetricExpression(Span);
/// <summary><c>utilization(UNIT)</c>, <c>traffic(MEMORY)</c> or <c>bytes(FROM, TO)</c>: a replay count of named components.</summary>
public sealed record BoundMetricOf(string Function, IReadOnlyList<string> Components, TextSpan Span) : BoundMetricExpression(Span);
/// <summary>The end of phase lines [First, Last] in seconds, minus the end of another phase's (if any), over <see cref="Per"/>.</summary>
public sealed record BoundMetricPhase(int First, int Last, int? SinceFirst, int? SinceLast, double Per, TextSpan Span)
    : BoundMetricExpression(Span);
public sealed record BoundMetricNegation(BoundMetricExpression Operand, TextSpan Span) : BoundMetricExpression(Span);
public sealed record BoundMetricBinary(BoundMetricExpression Left, char Operator, BoundMetricExpression Right,
    TextSpan Span) : BoundMetricExpression(Span);

/// <summary>
/// <c>assert measured OP promised;</c>; <see cref="Unit"/> is how both sides print ("s", "B", "tokens/s", "" for numbers).
/// </summary>
public sealed record BoundAssert(string Text, BoundMetricExpression Measured, Comparison Comparison, BoundMetricExpression Promised,
    TextLocation Location, string Unit);
