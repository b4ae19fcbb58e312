namespace Sched.Runtime.Schedules;

/// <summary>
/// One scheduled instruction. Transfers name a link and the unit at its far end; compute names the unit.
/// <see cref="Operands"/> are the tiles read; <see cref="Result"/> is the tile written (for a transfer, the tile moved).
/// M, K, N give the work: matmul is [M×K]·[K×N]; elementwise ops use M × N. <see cref="Dtype"/> picks the unit's peak.
/// </summary>
public sealed record Instruction(
    long Cycle, Opcode Op, int Unit, int Link, int[] Operands, int Result, long Bytes,
    int M, int K, int N, SourceLine Source, Targets.DataType Dtype = Targets.DataType.Fp32)
{
    /// <summary>What a compute's kernel needs beyond M×K×N (e.g. attention's head size and column offsets); its operation says.</summary>
    public int[] Args { get; init; } = [];

    public Instruction WithCycle(long cycle) => this with { Cycle = cycle };
}
