namespace Sched.Runtime.Targets;

/// <summary>
/// A memory tiles live in at addresses (on-chip SRAM, or HBM/DRAM at this level of the model); a tile is readable
/// <see cref="Latency"/> cycles after it is written. <see cref="Kind"/> names the technology for reports.
/// </summary>
/// A fibre loop (<see cref="Period"/> &gt; 0) holds Period slots of <see cref="SlotBytes"/> each; the slot at byte address a
/// is slot a ÷ SlotBytes and passes the tap at cycles t ≡ slot (mod Period), the only cycles it can be read.
/// A banked memory (<see cref="Banks"/> &gt; 1) splits its addresses into equal banks; each bank serves one transfer at a time.
/// Flash (<see cref="PageBytes"/> &gt; 0) reads whole pages: a die (a bank) is busy <see cref="ReadCycles"/> a page, then the pages
/// cross the die's channel at <see cref="ChannelBytesPerCycle"/>, one transfer a channel at a time.
public sealed record Memory(string Name, long Capacity, int Latency, double BytesPerSecond, string Kind = "sram", long Period = 0, long SlotBytes = 0, int Banks = 0,
    long PageBytes = 0, int ReadCycles = 0, int DiesPerChannel = 0, double ChannelBytesPerCycle = 0)
{
    /// <summary>Seconds to read the whole memory once at its bandwidth (0 when no bandwidth is given).</summary>
    public double DrainSeconds => BytesPerSecond > 0 ? Capacity / BytesPerSecond : 0;

    public bool IsFiber => Period > 0;

    public bool IsBanked => Banks > 1;
    public bool IsFlash => PageBytes > 0;

    /// <summary>Whole pages a tile of <paramref name="bytes"/> occupies.</summary>
    public long Pages(long bytes) => IsFlash ? (bytes + PageBytes - 1) / PageBytes : 0;

    /// <summary>The channel a flash die hangs off.</summary>
    public int Channel(int die) => DiesPerChannel > 0 ? die / DiesPerChannel : 0;
    public long BankBytes => IsBanked ? Capacity / Banks : Capacity;

    /// <summary>The bank an address falls in (0 when the memory is not banked).</summary>
    public int Bank(long address) => IsBanked ? (int)Math.Min(Banks - 1, Math.Max(0, address) / BankBytes) : 0;

    /// <summary>The phase (mod <see cref="Period"/>) at which the data at <paramref name="address"/> passes the tap.</summary>
    public long Phase(long address) => IsFiber ? address / SlotBytes % Period : 0;
}
