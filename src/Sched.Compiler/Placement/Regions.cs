using Sched.Runtime.Targets.Kinds;

namespace Sched.Compiler.Placement;

/// <summary>
/// Spreads tiles round robin over the regions of a memory that has several (banks, dies, vaults): each new tile gets the
/// start of its region as a provisional address, which its access steps read and the allocator keeps it inside.
/// </summary>
internal sealed class Regions
{
    private readonly Dictionary<string, int> _next = [];

    public long NextAddress(Memory memory)
    {
        if (memory.Regions <= 1) return 0;
        var region = _next.GetValueOrDefault(memory.Name);
        _next[memory.Name] = (region + 1) % memory.Regions;
        return region * memory.RegionBytes;
    }
}
