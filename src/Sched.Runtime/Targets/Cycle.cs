namespace Sched.Runtime.Targets;

/// <summary>Whole-cycle arithmetic shared by the compiler and the verifier, so both round the same way.</summary>
public static class Cycle
{
    // A relative tolerance keeps 4096 B / 64 B-per-cycle at 64 cycles despite binary fractions.
    public static long Ceiling(double cycles) => (long)Math.Ceiling(cycles * (1 - 1e-12));
}
