namespace Sched.Runtime.Targets;

/// <summary>An on-chip SRAM: tiles live in it at addresses; a tile is readable <see cref="Latency"/> cycles after it is written.</summary>
public sealed record Memory(string Name, long Capacity, int Latency, double BytesPerSecond)
{
    /// <summary>Seconds to read the whole memory once at its bandwidth (0 when no bandwidth is given).</summary>
    public double DrainSeconds => BytesPerSecond > 0 ? Capacity / BytesPerSecond : 0;
}
