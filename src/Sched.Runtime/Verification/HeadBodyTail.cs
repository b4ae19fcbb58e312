namespace Sched.Runtime.Verification;

/// <summary>One use of a resource for a bound: earliest start, cycles held, amount held, and time the schedule must run after.</summary>
public readonly record struct Use(long Head, long Duration, int Amount, long After);

/// <summary>
/// A resource's load placed between the work that must come before and after it (the head–body–tail bound): no use starts
/// before its head and the schedule runs at least its After past its end. On a unary resource (one unit, one link lane)
/// Jackson's preemptive schedule — always run the released use with the longest After — is optimal for the preemptive
/// one-machine problem, so its latest completion plus After bounds every schedule; it is what sees a chip pipeline's fill
/// (chip k's weights stream while the chain before it runs, and the chain after it must still follow). On a resource of
/// capacity C: the energy of the uses released at or after a head, ÷ C, between that head and the least After among them
/// (and the same from the After side). O(n log n) a resource. The compiler and the verifier both bound with it.
/// </summary>
public static class HeadBodyTail
{
    public static long Bound(IReadOnlyList<Use> uses, int capacity) =>
        uses.Count == 0 ? 0 : capacity == 1 ? Jackson(uses) : Energy(uses, capacity);

    private static long Jackson(IReadOnlyList<Use> uses)
    {
        var byHead = Enumerable.Range(0, uses.Count).OrderBy(i => uses[i].Head).ThenBy(i => i).ToArray();
        var ready = new PriorityQueue<(int Use, long Left), long>();   // longest After first
        var (time, next, bound) = (0L, 0, 0L);
        while (next < byHead.Length || ready.Count > 0)
        {
            if (ready.Count == 0) time = Math.Max(time, uses[byHead[next]].Head);
            for (; next < byHead.Length && uses[byHead[next]].Head <= time; next++)
                ready.Enqueue((byHead[next], uses[byHead[next]].Duration), -uses[byHead[next]].After);
            var (use, left) = ready.Dequeue();
            // Run it until it ends or the next use is released, which may have the longer After.
            var until = next < byHead.Length ? Math.Min(time + left, uses[byHead[next]].Head) : time + left;
            left -= until - time;
            time = until;
            if (left > 0) ready.Enqueue((use, left), -uses[use].After);
            else bound = Math.Max(bound, time + uses[use].After);
        }
        return bound;
    }

    private static long Energy(IReadOnlyList<Use> uses, int capacity)
    {
        var bound = 0L;
        var (energy, least) = (0L, long.MaxValue);
        foreach (var u in uses.OrderByDescending(u => u.Head))
        {
            energy += u.Amount * u.Duration;
            least = Math.Min(least, u.After);
            bound = Math.Max(bound, u.Head + (energy + capacity - 1) / capacity + least);
        }
        (energy, least) = (0L, long.MaxValue);
        foreach (var u in uses.OrderByDescending(u => u.After))
        {
            energy += u.Amount * u.Duration;
            least = Math.Min(least, u.Head);
            bound = Math.Max(bound, least + (energy + capacity - 1) / capacity + u.After);
        }
        return bound;
    }
}
