using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Execution;

/// <summary>Replay order: instructions by cycle, ties in schedule order.</summary>
public static class Timeline
{
    /// <summary>Instructions sorted by cycle; ties keep their schedule order, so replay is deterministic.</summary>
    public static Instruction[] InCycleOrder(IReadOnlyList<Instruction> instructions)
    {
        var order = instructions.ToArray();
        var index = Enumerable.Range(0, order.Length).ToArray();
        var keys = order.Select(i => i.Cycle).ToArray();
        Array.Sort(keys, index);
        // Array.Sort is not stable; re-sort each run of equal cycles by original index.
        var start = 0;
        for (var i = 1; i <= index.Length; i++)
            if (i == index.Length || keys[i] != keys[start]) { Array.Sort(index, start, i - start); start = i; }
        return index.Select(i => order[i]).ToArray();
    }
}
