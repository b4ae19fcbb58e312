using Sched.Compiler.Scheduling;

namespace Sched.Compiler.Tests;

/// <summary>The chunked step-function profile must answer as a plain per-cycle usage array does, bookings and releases mixed.</summary>
public class ResourceProfileTests
{
    [TestCase(1, 1)]
    [TestCase(3, 2)]
    [TestCase(4, 3)]
    public void Answers_as_a_per_cycle_array_does(int capacity, int seed)
    {
        var random = new Random(seed);
        const int Horizon = 6_000;
        var profile = new ResourceProfile(capacity);
        var usage = new int[Horizon + 200];
        var booked = new List<(long Start, long Duration, int Amount)>();
        long NaiveFit(long earliest, long duration, int amount)
        {
            for (var t = earliest; ; t++)
                if (Enumerable.Range((int)t, (int)duration).All(c => usage[c] + amount <= capacity)) return t;
        }
        // Thousands of breakpoints, so chunks fill, split, and empty again as releases merge segments.
        for (var step = 0; step < 4_000; step++)
        {
            var (earliest, duration, amount) = (random.Next(Horizon - 100), random.Next(1, 40), random.Next(1, capacity + 1));
            var fit = profile.EarliestFit(earliest, duration, amount);
            Assert.That(fit, Is.EqualTo(NaiveFit(earliest, duration, amount)),
                $"step {step}: fit of {amount} × {duration} from {earliest}");
            if (booked.Count > 0 && random.Next(4) == 0)
            {
                var k = random.Next(booked.Count);
                var (s, d, a) = booked[k];
                booked.RemoveAt(k);
                profile.Release(s, d, a);
                for (var c = s; c < s + d; c++) usage[c] -= a;
            }
            else if (fit + duration <= Horizon)
            {
                profile.Book(fit, duration, amount);
                for (var c = fit; c < fit + duration; c++) usage[c] += amount;
                booked.Add((fit, duration, amount));
            }
        }
        Assert.That(booked, Has.Count.GreaterThan(500), "the profile held enough bookings to need several chunks");
    }
}
