using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Verification;

/// <summary>
/// A 64-bit fingerprint of what a tile holds as a formula of the program's inputs: a resident tile by its tensor, layer and
/// columns; a computed tile by its operation, its M×K×N and dtype, and its operands' fingerprints in order. Two tiles with
/// the same formula have the same symbol whatever units, cycles or addresses made them, so comparing an output's symbols
/// with the program's proves the dataflow in O(n), with no numbers.
/// </summary>
public static class Symbol
{
    public static ulong Resident(string tensor, int layer, int column, int rows, int cols)
    {
        var h = Mix(0x5157_0001UL, (ulong)tensor.Length);
        foreach (var c in tensor) h = Mix(h, c);
        return Mix(Mix(Mix(Mix(h, (ulong)layer), (ulong)column), (ulong)rows), (ulong)cols);
    }

    public static ulong Resident(Tile tile) => Resident(tile.Tensor, tile.Layer, tile.ColumnOffset, tile.Rows, tile.Cols);

    /// <summary>Rows [from, from + rows) of what a tile holds (a view's load).</summary>
    public static ulong Window(ulong whole, int from, int rows) =>
        Mix(Mix(Mix(0x5157_0003UL, whole), (ulong)(uint)from), (ulong)(uint)rows);

    /// <summary>A tile made in row pieces, from each piece's symbol in row order.</summary>
    public static ulong Rows(IEnumerable<ulong> pieces)
    {
        var (h, count) = (0x5157_0004UL, 0UL);
        foreach (var p in pieces) { h = Mix(h, p); count++; }
        return Mix(h, count);
    }

    public static ulong Computed(Opcode op, int m, int k, int n, int[] args, DataType dtype, IEnumerable<ulong> operands)
    {
        var h = Mix(Mix(Mix(Mix(Mix(0x5157_0002UL, (ulong)op), (ulong)m), (ulong)k), (ulong)n), (ulong)dtype);
        foreach (var a in args) h = Mix(h, (ulong)(uint)a);
        h = Mix(h, (ulong)args.Length);
        var count = 0UL;
        foreach (var o in operands) { h = Mix(h, o); count++; }
        return Mix(h, count);
    }

    // splitmix64's finaliser over the running value and the next word: every bit of both reaches every bit of the result.
    private static ulong Mix(ulong h, ulong x)
    {
        var z = h ^ (x + 0x9E37_79B9_7F4A_7C15UL + (h << 6) + (h >> 2));
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }
}
