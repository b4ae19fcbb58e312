namespace Sched.Runtime.Execution;

/// <summary>
/// The values inputs and weights hold in functional mode: small integers from a hash of the tensor's name and
/// position, so the executor and the reference interpreter agree without sharing any state.
/// </summary>
public static class InitialValues
{
    public static double Value(string tensor, int layer, int row, int col)
    {
        var h = 2166136261u;
        foreach (var c in tensor) h = (h ^ c) * 16777619u;
        h ^= (uint)layer * 0x9E3779B1u;
        h = (h ^ (uint)row) * 0x85EBCA6Bu;
        h = (h ^ (uint)col) * 0xC2B2AE35u;
        h ^= h >> 16;
        return (int)(h % 5) - 2;
    }
}
