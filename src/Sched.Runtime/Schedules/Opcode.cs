namespace Sched.Runtime.Schedules;

/// <summary>What an instruction does: move a tile over a link, or compute on a unit.</summary>
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
    /// <summary>Flash: a die reads a tile's pages into its page buffer (whole pages, tR each).</summary>
    Read,
}

public static class OpcodeFacts
{
    public static bool IsTransfer(this Opcode op) => op is Opcode.Load or Opcode.Store;

    public static string Mnemonic(this Opcode op) => op.ToString().ToLowerInvariant();

    /// <summary>Floating-point work of one compute instruction; silu counts 4 (exp, add, divide, multiply).</summary>
    public static double Flops(this Opcode op, int m, int k, int n) => op switch
    {
        Opcode.Matmul => 2.0 * m * k * n,
        Opcode.Silu => 4.0 * m * n,
        Opcode.Add or Opcode.Mul => 1.0 * m * n,
        _ => 0,
    };
}
