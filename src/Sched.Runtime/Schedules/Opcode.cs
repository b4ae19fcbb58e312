namespace Sched.Runtime.Schedules;

/// <summary>
/// What an instruction does: move a tile over a link, prepare it in its memory (a flash read), or compute on a unit.
/// What each compute opcode means lives in its <see cref="Operations.Operation"/>; what each access step means lives
/// in the memory kinds.
/// </summary>
public enum Opcode : byte
{
    /// <summary>Memory → unit buffer over a link.</summary>
    Load,
    /// <summary>Unit buffer → memory over a link.</summary>
    Store,
    Matmul,
    Add,
    Mul,
    Silu,
    /// <summary>A step before a load inside the memory (flash: a die reads a tile's pages).</summary>
    Read,
    Softmax,
    Rmsnorm,
    Layernorm,
    Gelu,
    Copy,
    Rope,
    Attention,
    Slice,
    Concat,
    Transpose,
    GatherRows,
    ScatterRows,
}

public static class OpcodeFacts
{
    public static bool IsTransfer(this Opcode op) => op is Opcode.Load or Opcode.Store;

    public static string Mnemonic(this Opcode op) => op.ToString().ToLowerInvariant();
}
