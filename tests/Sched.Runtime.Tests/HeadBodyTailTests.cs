using Sched.Runtime.Verification;

namespace Sched.Runtime.Tests;

public class HeadBodyTailTests
{
    [Test]
    public void Two_uses_of_a_unary_resource_end_one_after_the_other_and_then_their_tails()
    {
        // Each 10 cycles with 5 after it; the resource serialises them: 1 + 10 + 10 ... the last ends at 20, then 5 more.
        // The critical path (1 + 10 + 5 = 16) and the load (20) are both below it.
        Assert.That(HeadBodyTail.Bound([new Use(0, 10, 1, 5), new Use(1, 10, 1, 5)], capacity: 1), Is.EqualTo(25));
    }

    [Test]
    public void A_use_released_later_with_a_longer_tail_preempts_the_one_running()
    {
        // A runs 0..2, B (After 20) takes over 2..5 and ends the bound at 25; A resumes 5..13 (+0); C (After 30) released at 3
        // runs 3..7 first: 7 + 30 = 37.
        Assert.That(HeadBodyTail.Bound([new Use(0, 10, 1, 0), new Use(2, 3, 1, 20)], capacity: 1), Is.EqualTo(25));
        Assert.That(HeadBodyTail.Bound([new Use(0, 10, 1, 0), new Use(2, 3, 1, 20), new Use(3, 4, 1, 30)], capacity: 1),
            Is.EqualTo(37));
    }

    [Test]
    public void On_a_resource_of_capacity_two_the_energy_is_halved_between_the_head_and_the_tail()
    {
        // Four uses of 10 released at 5, 3 after each: 5 + 40 ÷ 2 + 3 = 28.
        var uses = Enumerable.Range(0, 4).Select(_ => new Use(5, 10, 1, 3)).ToList();
        Assert.That(HeadBodyTail.Bound(uses, capacity: 2), Is.EqualTo(28));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public void The_bound_never_exceeds_the_best_order_and_is_never_below_the_simple_bounds(int seed)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 200; trial++)
        {
            var uses = Enumerable.Range(0, random.Next(1, 7))
                .Select(_ => new Use(random.Next(0, 30), random.Next(1, 12), 1, random.Next(0, 25))).ToList();
            var bound = HeadBodyTail.Bound(uses, capacity: 1);
            Assert.That(bound, Is.LessThanOrEqualTo(BestOrder(uses)), string.Join(", ", uses));
            Assert.That(bound, Is.GreaterThanOrEqualTo(uses.Max(u => u.Head + u.Duration + u.After)));
            Assert.That(bound, Is.GreaterThanOrEqualTo(uses.Min(u => u.Head) + uses.Sum(u => u.Duration) + uses.Min(u => u.After)));
        }
    }

    // The best non-preemptive schedule on one machine: every order tried, each use as early as its head and the one before allow.
    private static long BestOrder(List<Use> uses)
    {
        var best = long.MaxValue;
        var used = new bool[uses.Count];
        void Try(int placed, long time, long end)
        {
            if (placed == uses.Count) { best = Math.Min(best, end); return; }
            for (var i = 0; i < uses.Count; i++)
            {
                if (used[i]) continue;
                used[i] = true;
                var finish = Math.Max(time, uses[i].Head) + uses[i].Duration;
                Try(placed + 1, finish, Math.Max(end, finish + uses[i].After));
                used[i] = false;
            }
        }
        Try(0, 0, 0);
        return best;
    }
}
