using Sched.Bench;

namespace Sched.Compiler.Tests;

/// <summary>A few hundred bad inputs: each must end, within a time limit, in a diagnostic or a verified schedule.</summary>
public class FuzzTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static IEnumerable<TestCaseData> NamedCases() =>
        FuzzSources.Named().Where(c => c.Name != "10 MB file").Select(c => new TestCaseData(c.Text).SetName($"named case: {c.Name}"));

    [TestCaseSource(nameof(NamedCases))]
    public void Named_bad_input_gets_a_diagnostic(string text)
    {
        var (verdict, detail) = Fuzzer.Run(text, Limit, emit: true);
        Assert.That(verdict, Is.AnyOf(Fuzzer.Verdict.Diagnosed, Fuzzer.Verdict.Accepted), detail);
    }

    [Test]
    public void A_ten_megabyte_file_gets_an_answer()
    {
        var text = FuzzSources.Named().Single(c => c.Name == "10 MB file").Text;
        Assert.That(text.Length, Is.GreaterThanOrEqualTo(10_000_000));
        var (verdict, detail) = Fuzzer.Run(text, TimeSpan.FromSeconds(120), emit: false);
        Assert.That(verdict, Is.AnyOf(Fuzzer.Verdict.Diagnosed, Fuzzer.Verdict.Accepted), detail);
    }

    [Test]
    public void Three_hundred_random_mutations_of_the_examples_never_crash_or_hang()
    {
        // The small examples: mutations of the large ones (llama7b-h100, multichip) take seconds each, which is bench work.
        var examples = new[] { "hello", "mlp", "layers", "decode", "fiber", "pnm" }
            .Select(n => File.ReadAllText(Path.Combine(Examples.Folder, n + ".sched"))).ToList();
        var random = new Random(2026);
        var problems = new List<string>();
        var diagnosed = 0;
        for (var i = 0; i < 300; i++)
        {
            var text = FuzzSources.Random(random, examples);
            var (verdict, detail) = Fuzzer.Run(text, Limit, emit: i % 50 == 0);
            if (verdict is Fuzzer.Verdict.Crashed or Fuzzer.Verdict.Hung) problems.Add($"case {i}: {verdict}: {detail}\n{text}");
            if (verdict == Fuzzer.Verdict.Diagnosed) diagnosed++;
        }
        Assert.That(problems, Is.Empty);
        Assert.That(diagnosed, Is.GreaterThan(100), "the mutations should mostly break the programs");
    }
}
