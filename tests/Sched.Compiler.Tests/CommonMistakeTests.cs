using Sched.Language.Text;

namespace Sched.Compiler.Tests;

/// <summary>
/// Mistakes users make, each checked as `sched check` sees it (parse, bind, place, capacities): exactly one diagnostic, its
/// ID, the span under the caret (⟦…⟧) and what the message says, including the fix where there is one.
/// </summary>
public class CommonMistakeTests
{
    private const string Target = "target T { clock 1 GHz; sram s { capacity = 1 MB; } matrix m { peak = 1 TFLOP/s; } "
        + "vector v { peak = 1 TFLOP/s; } link s <-> m { bandwidth = 1 GB/s; } link s <-> v { bandwidth = 1 GB/s; } }\n";

    [TestCase("program P on T { ⟦wieght⟧ w : int8[4, 4] in s; input x : int8[1, 4] in s; output x; }",
        "SCH0006", "unknown keyword 'wieght' (did you mean 'weight'?)", TestName = "a misspelt keyword")]
    [TestCase("program P on T {\n input x : int8[1, 4] in s⟦⟧\n output x;\n}", "SCH0001", "missing ';' after 's'",
        TestName = "a missing semicolon")]
    [TestCase("program P on T { input x : int8[1, 4] in ⟦sx⟧; output x; }", "SCH1001", "unknown memory 'sx' (did you mean 's'?)",
        TestName = "an unknown memory")]
    [TestCase("program P on T { input x : int8[1, 4] in s; weight w : int8[5, 4] in s; let y = ⟦matmul(x, w)⟧; output y; }",
        "SCH1005", "matmul", TestName = "a shape mismatch")]
    [TestCase("program P on T { input x : int8[1, 4] in s; output x; assert cycles ⟦<=⟧ 3 GB; }", "SCH1004", "",
        TestName = "a contract of the wrong dimension")]
    [TestCase("program P on T { input x : int8[1, ⟦-4⟧] in s; output x; }", "SCH1016", "a dimension must be a whole number",
        TestName = "a negative size")]
    [TestCase("program P on T { input x : int8[1, 4] in s; input ⟦x⟧ : int8[1, 4] in s; output x; }", "SCH1002",
        "'x' is already declared", TestName = "a name declared twice")]
    [TestCase("program P on T { input x : int8[1, 4] in s; weight w : int8[2, 4, 4] in s; let h = x; "
        + "for l in 0 .. 3 { h = matmul(h, w[⟦l⟧]); } output h; }", "SCH1015", "index 2 is outside w's 2 layers",
        TestName = "a loop index out of range")]
    [TestCase("program P on ⟦nvidia.h10⟧ { input x : fp16[1, 4] in hbm; output x; }", "SCH1010",
        "unknown target 'nvidia.h10' (did you mean 'nvidia.h100'?)", TestName = "an unknown preset")]
    [TestCase("program ⟦P⟧ on T { input x : int8[1, 4] in s; }", "SCH1020", "", TestName = "no output")]
    [TestCase("program P on T { input x : int8[1, 4] in s; weight ⟦w⟧ : int8[4000, 4000] in s; output x; }", "SCH2001",
        "the weight w needs 16 MB in s, but only 999.996 kB of its 1 MB is left", TestName = "a tensor too big for its memory")]
    [TestCase("program P on T { input x : int8[1, 4] in s; output x; assert time <= 1 ⟦mss⟧; }", "SCH1003",
        "unknown unit 'mss' (did you mean 'ms'?)", TestName = "a misspelt unit")]
    [TestCase("program P on T { input q : int8[1, 8] in s; input k : int8[1, 8] in s; "
        + "let y = ⟦attention(q, k, k, k, k, head_dim = 8, grows = 1)⟧; output y; }", "SCH1016",
        "attention grows by what earlier steps of a repeat made, and outside 'repeat N { … }' there are none",
        TestName = "a cache that grows outside a repeat")]
    [TestCase("program P on T { input x : int8[1, 4] in s; output ⟦X⟧; }", "SCH1001", "unknown tensor 'X' (did you mean 'x'?)",
        TestName = "a name in the wrong case")]
    [TestCase("program P on T { input x : int8[8, 4] in s; weight w : int8[4, 4] in s; let y = matmul(x, w) on ⟦v⟧; output y; }",
        "SCH1011", "matmul of 8 rows needs a matrix unit, and 'v' is a vector unit", TestName = "a matrix operation on a vector unit")]
    [TestCase("program P on T { input x : int8[1, 4] in s; let y = ⟦sillu⟧(x); output y; }", "SCH1017",
        "unknown operation 'sillu' (did you mean 'silu'?)", TestName = "a misspelt operation")]
    public void A_mistake_is_one_diagnostic_at_its_place(string marked, string id, string message)
    {
        var open = marked.IndexOf('⟦');
        var close = marked.IndexOf('⟧');
        var text = Target + marked.Replace("⟦", "").Replace("⟧", "");
        var diagnostics = Compilation.Check(SourceText.From(text, "mistake.sched"));
        Assert.That(diagnostics.Select(d => d.Code), Is.EqualTo(new[] { id }), string.Join("\n", diagnostics.Select(d => d.Render())));
        Assert.That(diagnostics[0].Location.Span, Is.EqualTo(new TextSpan(Target.Length + open, close - open - 1)));
        Assert.That(diagnostics[0].Message, Does.StartWith(message));
    }

    [Test]
    public void A_unit_for_a_rate_without_its_slash_gets_the_slash()
    {
        var text = "target U { clock 1 GHz; sram s { capacity = 1 MB; } matrix m { peak = 1 GFLOPS; } "
            + "link s <-> m { bandwidth = 1 GB/s; } }"
            + "\nprogram P on U { input x : int8[1, 4] in s; output x; }";
        var diagnostics = Compilation.Check(SourceText.From(text, "u.sched"));
        Assert.That(diagnostics.Select(d => d.Message), Is.EqualTo(new[] { "unknown unit 'GFLOPS' (did you mean 'GFLOP/s'?)" }),
            "one error: the peak is not also missing");
    }
}
