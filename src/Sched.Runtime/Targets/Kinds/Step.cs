namespace Sched.Runtime.Targets.Kinds;

/// <summary>
/// One step of an access to a memory, as data: the instruction that performs it, how long it holds the link (for a
/// transfer) and <see cref="Resource"/> (a bank, die, channel or vault of the memory, or -1), the bytes it must
/// name, how long after its end its data is usable, and an optional periodic window (start ≡ Phase mod Period).
/// Lowering turns steps into operations; the executor, the verifier and the reference checker read the same steps.
/// </summary>
public readonly record struct Step(Schedules.Opcode Op, long Duration, long Bytes, int Resource, long After, long Period = 0,
    long Phase = 0)
{
    public bool HasWindow => Period > 0;
}

/// <summary>
/// A resource of the machine: it serves steps up to <see cref="Capacity"/> units at a time. A link's or channel's lane is
/// <see cref="Slices"/> units, so a transfer smaller than a cycle's worth of bytes takes only part of a lane (its capacity is lanes
/// × slices); everything else takes one unit.
/// </summary>
public sealed record Resource(string Name, int Capacity, Verification.ViolationKind Conflict)
{
    public int Slices { get; init; } = 1;
    public int Lanes => Capacity / Slices;
}
