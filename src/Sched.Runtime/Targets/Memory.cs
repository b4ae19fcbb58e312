namespace Sched.Runtime.Targets;

/// <summary>
/// A memory tiles live in at addresses (on-chip SRAM, or HBM/DRAM at this level of the model); a tile is readable
/// <see cref="Latency"/> cycles after it is written. <see cref="Kind"/> names the technology for reports.
/// </summary>
public sealed record Memory(string Name, long Capacity, int Latency, double BytesPerSecond, string Kind = "sram")
{
    /// <summary>Seconds to read the whole memory once at its bandwidth (0 when no bandwidth is given).</summary>
    public double DrainSeconds => BytesPerSecond > 0 ? Capacity / BytesPerSecond : 0;
}
