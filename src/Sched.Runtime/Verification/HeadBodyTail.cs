namespace Sched.Runtime.Verification;

/// <summary>One use of a resource for a bound: earliest start, cycles held, amount held, and time the schedule must run after.</summary>
public readonly record struct Use(long Head, long Duration, int Amount, long After);

/// <summary>
/// A resource's load placed between the work that must come before and after it (the head–body–tail bound): no use starts
/// before its head and the schedule runs at least its After past its end. Relaxed to a fluid resource — C units a cycle shared
/// freely, a use needing Amount × Duration unit-cycles — this is the preemptive one-machine problem with release dates and
/// delivery times (in units of 1/C cycle), which Jackson's preemptive schedule solves exactly: always run the released use with
/// the longest After. Its latest completion plus After bounds every schedule; it is what sees a chip pipeline's fill (chip k's
/// weights stream while the chain before it runs, and the chain after it must still follow), and on a unary resource it is the
/// classic one-machine bound. O(n log n) a resource. The compiler and the verifier both bound with it.
/// </summary>
public static class HeadBodyTail
{
    public static long Bound(IReadOnlyList<Use> uses, int capacity)
    {
        if (uses.Count == 0) return 0;
        // Time in units of 1/C cycle, so every use's work (Amount × Duration) is whole.
        var byHead = Enumerable.Range(0, uses.Count).OrderBy(i => uses[i].Head).ThenBy(i => i).ToArray();
        long Head(int i) => uses[i].Head * capacity;
        var ready = new PriorityQueue<(int Use, long Left), long>();   // longest After first
        var (time, next, bound) = (0L, 0, 0L);
        while (next < byHead.Length || ready.Count > 0)
        {
            if (ready.Count == 0) time = Math.Max(time, Head(byHead[next]));
            for (; next < byHead.Length && Head(byHead[next]) <= time; next++)
                ready.Enqueue((byHead[next], uses[byHead[next]].Amount * uses[byHead[next]].Duration), -uses[byHead[next]].After);
            var (use, left) = ready.Dequeue();
            // Run it until it ends or the next use is released, which may have the longer After.
            var until = next < byHead.Length ? Math.Min(time + left, Head(byHead[next])) : time + left;
            left -= until - time;
            time = until;
            if (left > 0) ready.Enqueue((use, left), -uses[use].After);
            else bound = Math.Max(bound, (time + capacity - 1) / capacity + uses[use].After);
        }
        return bound;
    }
}
