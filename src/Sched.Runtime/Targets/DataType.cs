namespace Sched.Runtime.Targets;

public enum DataType { Int4, Int8, Fp8, Bf16, Fp16, Fp32 }

public static class DataTypeFacts
{
    public static int Bits(this DataType t) => t switch
    {
        DataType.Int4 => 4,
        DataType.Int8 or DataType.Fp8 => 8,
        DataType.Bf16 or DataType.Fp16 => 16,
        _ => 32,
    };

    /// <summary>Bytes of <paramref name="elements"/> values, rounded up to whole bytes.</summary>
    public static long Bytes(this DataType t, long elements) => (elements * t.Bits() + 7) / 8;

    public static string Name(this DataType t) => t.ToString().ToLowerInvariant();

    public static bool TryParse(string text, out DataType type)
    {
        foreach (var t in Enum.GetValues<DataType>())
            if (t.Name() == text) { type = t; return true; }
        type = default;
        return false;
    }
}
