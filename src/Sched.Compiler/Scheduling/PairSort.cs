namespace Sched.Compiler.Scheduling;

/// <summary>
/// Sorts keys with their items, then each run of equal keys by item: a total order from the runtime's primitive sort (no
/// comparer), so the same on every run.
/// </summary>
internal static class PairSort
{
    public static void Sort<TKey>(TKey[] keys, int[] items, int from, int count) where TKey : IEquatable<TKey>
    {
        Array.Sort(keys, items, from, count);
        for (var run = from; run < from + count;)
        {
            var end = run + 1;
            while (end < from + count && keys[end].Equals(keys[run])) end++;
            if (end - run > 1) Array.Sort(items, run, end - run);
            run = end;
        }
    }
}
