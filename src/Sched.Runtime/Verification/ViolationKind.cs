namespace Sched.Runtime.Verification;

/// <summary>The rules the verifier enforces; the number is the stable diagnostic ID (SCH3nnn).</summary>
public enum ViolationKind
{
    MalformedInstruction = 3000,
    UnitConflict = 3001,
    LaneConflict = 3002,
    DataNotReady = 3003,
    OverCapacity = 3004,
    OverlappingAddresses = 3005,
    ContractFailed = 3006,
    WrongValues = 3007,
    OffPhase = 3008,
    BankConflict = 3009,
    ChannelConflict = 3010,
    /// <summary>An output tile does not hold what the program computes (the symbolic dataflow differs).</summary>
    WrongDataflow = 3011,
    /// <summary>A tile is stored twice, or an input or weight is overwritten.</summary>
    WrittenTwice = 3012,
    /// <summary>A stored schedule's tile, output or instruction is not the program's (missing, extra, renamed or resized).</summary>
    NotTheProgram = 3013,
    /// <summary>An assembly's schedule resource is not the one it was built with, or cannot be read.</summary>
    ScheduleRejected = 3014,
    /// <summary>A unit holds more bytes of tiles in its local buffer than the buffer has.</summary>
    BufferOverflow = 3015,
    /// <summary>An instruction of a phase starts before every instruction of the phase before it has ended.</summary>
    PhaseOverlap = 3016,
    /// <summary>An operation on a unit with a launch gap starts before the one before it there has ended and the gap passed.</summary>
    KernelOverlap = 3017,
}

public static class ViolationKindFacts
{
    public static string Code(this ViolationKind kind) => $"SCH{(int)kind:D4}";
}
