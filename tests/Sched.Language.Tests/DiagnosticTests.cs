using Sched.Language.Binding;
using Sched.Language.Syntax;
using Sched.Language.Text;

namespace Sched.Language.Tests;

public class DiagnosticTests
{
    private const string Target = """
        target T {
            clock 1 GHz;
            sram s { capacity = 1 MB; latency = 1 cycles; }
            matrix mxu { peak = 1 TFLOP/s; }
            link s <-> mxu { bandwidth = 64 GB/s; }
        }

        """;

    private static IReadOnlyList<Sched.Language.Diagnostics.Diagnostic> Bind(string text) =>
        Binder.Bind(SyntaxTree.Parse(SourceText.From(text, "test.sched"))).Diagnostics;

    [TestCase("program P on T { input x : int8[1, 4] in s;⟦;⟧ output x; }", "SCH0001", TestName = "syntax error: stray semicolon")]
    [TestCase("program P on T { input x : int8[1, 4] in s; let y = matmul(x, ⟦w⟧) on mxu; output y; }",
        "SCH1001", TestName = "unknown name")]
    [TestCase("program P on T { input x : int8[1, 4] in s; weight w : int8[5, 4] in s; let y = ⟦matmul(x, w) on mxu⟧; " +
        "output y; }",
        "SCH1005", TestName = "shape mismatch in matmul")]
    [TestCase("program P on T { input x : int8[1, 4] in s; input z : int8[1, 5] in s; let y = ⟦add(x, z)⟧; output y; }",
        "SCH1005", TestName = "shape mismatch in add")]
    [TestCase("program P on ⟦Nowhere⟧ { input x : int8[1, 4] in s; output x; }", "SCH1010", TestName = "unknown target")]
    [TestCase("program P on T { input x : ⟦int7⟧[1, 4] in s; output x; }", "SCH1006", TestName = "unknown dtype")]
    [TestCase("program P on T { input x : int8[1, 4] in ⟦mxu⟧; output x; }", "SCH1011",
        TestName = "placement names a unit, not a memory")]
    [TestCase("program P on T { input x : int8[1, 4] in s; let y = silu(x) on ⟦s⟧; output y; }", "SCH1011",
        TestName = "on names a memory")]
    [TestCase("program P on T { input x : int8[1, 4] in s; let y = ⟦frobnicate⟧(x); output y; }",
        "SCH1017", TestName = "unknown operation")]
    [TestCase("program P on T { input x : int8[1, 4] in s; output x; assert cycles <= ⟦3 km⟧; }",
        "SCH1024", TestName = "contract with a length")]
    [TestCase("program P on T { input x : int8[1, 4] in s; weight w : int8[2, 4, 4] in s; let y = matmul(x, w[⟦2⟧]) on " +
        "mxu; output y; }",
        "SCH1015", TestName = "constant index out of range")]
    [TestCase("program P on T { input x : int8[1, 4] in s; output x; output ⟦q⟧; }", "SCH1001", TestName = "unknown output")]
    [TestCase("program ⟦P⟧ on T { input x : int8[1, 4] in s; }", "SCH1020", TestName = "no output")]
    [TestCase("program P on T { input x : int8[1, 4] in s; let y = x ⟦$⟧; output y; }", "SCH0002", TestName = "invalid character")]
    [TestCase("program P on T { input x : fp16[2, 8] in s; weight g : fp16[9] in s; let y = ⟦rmsnorm(x, g)⟧; output y; }",
        "SCH1005", TestName = "rmsnorm gain of the wrong length")]
    [TestCase("program P on T { input x : fp16[2, 8] in s; weight g : fp32[8] in s; let y = ⟦rmsnorm(x, g)⟧; output y; }",
        "SCH1019", TestName = "rmsnorm gain of another dtype")]
    [TestCase("program P on T { input x : fp16[2, 8] in s; weight g : fp16[8] in s; let y = ⟦layernorm(x, g)⟧; output y; " +
        "}",
        "SCH1013", TestName = "layernorm without its bias")]
    [TestCase("program P on T { input x : fp16[2, 8] in s; input z : fp32[2, 8] in s; let y = ⟦add(softmax(x), z)⟧; " +
        "output y; }",
        "SCH1019", TestName = "softmax keeps its dtype")]
    [TestCase("program P on T { input x : fp16[2, 8] in s; let y = ⟦gelu(x, x)⟧; output y; }",
        "SCH1013", TestName = "gelu takes one operand")]
    [TestCase("program P on T { input x : fp16[2, 24] in s; let y = ⟦rope(x, head_dim = 16)⟧; output y; }",
        "SCH1005", TestName = "rope head_dim that does not divide the columns")]
    [TestCase("program P on T { input x : fp16[2, 32] in s; let y = rope(x, ⟦head⟧ = 16); output y; }",
        "SCH1025", TestName = "rope setting misspelt")]
    [TestCase("program P on T { input x : fp16[2, 32] in s; let y = rope(x, head_dim = ⟦1⟧); output y; }",
        "SCH1016", TestName = "rope head_dim below its range")]
    [TestCase("program P on T { input x : fp16[2, 32] in s; let y = slice(x, from = 4, to = 2, ⟦from⟧ = 1); output y; }",
        "SCH1002", TestName = "a setting given twice")]
    [TestCase("program P on T { input x : fp16[2, 32] in s; let y = ⟦slice(x, from = 4, to = 40)⟧; output y; }",
        "SCH1005", TestName = "slice past the columns")]
    [TestCase("program P on T { input x : fp16[2, 32] in s; input z : fp16[3, 32] in s; let y = ⟦concat(x, z)⟧; output " +
        "y; }",
        "SCH1005", TestName = "concat of different rows")]
    [TestCase("program P on T { input x : fp16[2, 32] in s; input z : int8[2, 32] in s; let y = ⟦concat(x, z)⟧; output " +
        "y; }",
        "SCH1019", TestName = "concat of different dtypes")]
    [TestCase("program P on T { input x : fp16[2, 32] in s; let y = transpose(x, ⟦k⟧ = 1); output y; }",
        "SCH1025", TestName = "a setting of an operation that has none")]
    [TestCase("program P on T { input q : fp16[1, 64] in s; input k : fp16[4, 48] in s; let y = ⟦attention(q, k, k, " +
        "head_dim = 16)⟧; output y; }",
        "SCH1005", TestName = "attention heads that do not group")]
    [TestCase("program P on T { input q : fp16[1, 64] in s; input k : fp16[4, 32] in s; input v : fp16[4, 16] in s; let " +
        "y = ⟦attention(q, k, v, head_dim = 16)⟧; output y; }",
        "SCH1005", TestName = "attention v not of k's shape")]
    [TestCase("program P on T { input q : fp16[1, 64] in s; input k : fp16[4, 32] in s; input v : fp32[4, 32] in s; let " +
        "y = ⟦attention(q, k, v, head_dim = 16)⟧; output y; }",
        "SCH1019", TestName = "attention dtypes")]
    [TestCase("program P on T { input q : fp16[2, 64] in s; input k : fp16[3, 32] in s; let y = ⟦attention(q, k, k, " +
        "head_dim = 16)⟧; output y; }",
        "SCH1005", TestName = "attention rows that do not split into sequences")]
    [TestCase("program P on T { input q : fp16[1, 96] in s; input k : fp16[1, 96] in s; let y = ⟦attention(q, k, k, " +
        "head_dim = 96)⟧; output y; }",
        "SCH1005", TestName = "attention head_dim that does not divide the tile width")]
    [TestCase("program P on T { input q : fp16[1, 64] in s; input k : fp16[1, 32] in s; let y = ⟦attention(q, k, k, k)⟧; " +
        "output y; }",
        "SCH1013", TestName = "attention with four operands")]
    [TestCase("program P on T { input q : fp16[1, 64] in s; input k : fp16[1, 32] in s; let y = attention(q, k, k, " +
        "causal = ⟦2⟧); output y; }",
        "SCH1016", TestName = "causal is 0 or 1")]
    [TestCase("program P on T { input x : int8[1, 4] in s; output x; assert ⟦utilisation⟧(mxu) < 1; }",
        "SCH1024", TestName = "contract metric misspelt")]
    [TestCase("program P on T { input x : int8[1, 4] in s; output x; assert utilization(⟦s⟧) < 1; }",
        "SCH1001", TestName = "utilization of a memory")]
    [TestCase("program P on T { input x : int8[1, 4] in s; output x; assert traffic(s) ⟦<=⟧ 3 ms; }",
        "SCH1004", TestName = "traffic against a time")]
    [TestCase("program P on T { input x : int8[1, 4] in s; output x; predict traffic(s) against ⟦3 ms⟧; }",
        "SCH1004", TestName = "a prediction against a figure of another dimension")]
    [TestCase("program P on T { input x : int8[1, 4] in s; output x; predict ⟦tokens⟧ against 3 ms; }",
        "SCH1024", TestName = "a prediction of an unknown metric")]
    [TestCase("program P on T { input x : int8[1, 4] in s; output x; assert ⟦bytes(s)⟧ <= 3 MB; }",
        "SCH1013", TestName = "bytes of one component")]
    [TestCase("program P on T { input x : int8[1, 4] in s; weight w : int8[2, 1, 4] in s; ⟦w⟧[0] = x; output x; }",
        "SCH1011", TestName = "only a cache layer can be assigned")]
    [TestCase("program P on T { input x : int8[1, 4] in s; cache c : int8[2, 2, 4] in s; c[0] = ⟦x⟧; output x; }",
        "SCH1005", TestName = "a cache layer of another shape")]
    [TestCase("program P on T { input x : int8[1, 4] in s; cache c : int8[2, 1, 4] in s; c[⟦2⟧] = x; output x; }",
        "SCH1015", TestName = "a cache layer out of range")]
    [TestCase("program P on T { input x : int8[1, 4] in s; phase a { output x; } phase ⟦a⟧ { } }",
        "SCH1002", TestName = "a phase named twice")]
    [TestCase("program P on T { input x : int8[1, 4] in s; output x; assert ⟦ttft⟧ <= 1 ms; }",
        "SCH1024", TestName = "ttft without a prefill phase")]
    [TestCase("program P on T { input x : int8[1, 4] in s; weight w : int8[2, 4, 4] in s; let z = ⟦w⟧; output x; }",
        "SCH1014", TestName = "a stacked weight as a value")]
    public void Program_mistakes_get_their_id_at_their_place(string marked, string id)
    {
        AssertFirstDiagnostic(Annotated.Parse(Target + marked), id);
    }

    /// <summary>The first diagnostic has the ID and starts where the ⟦mark⟧ does.</summary>
    private static void AssertFirstDiagnostic(Annotated annotated, string id)
    {
        var diagnostics = Bind(annotated.Text);
        Assert.That(diagnostics, Is.Not.Empty);
        var d = diagnostics[0];
        var expected = SourceText.From(annotated.Text).Location(annotated.Span);
        Assert.Multiple(() =>
        {
            Assert.That(d.Code, Is.EqualTo(id), d.Render());
            Assert.That((d.Location.Line, d.Location.Column), Is.EqualTo((expected.Line, expected.Column)), d.Render());
        });
    }

    [TestCase("sram s { capacity = ⟦3 GHz⟧; }", "SCH1004", TestName = "capacity in GHz")]
    [TestCase("sram s { capacity = 1 MB; latency = ⟦4 MB⟧; }", "SCH1004", TestName = "latency in bytes")]
    [TestCase("sram s { capacity = 3 ⟦GHzz⟧; }", "SCH1003", TestName = "unknown unit")]
    [TestCase("sram s { ⟦size⟧ = 1 MB; }", "SCH1008", TestName = "unknown property")]
    [TestCase("⟦flux⟧ s { capacity = 1 MB; }", "SCH1007", TestName = "unknown component kind")]
    [TestCase("⟦sram s { latency = 1 cycles; }⟧", "SCH1009", TestName = "missing capacity")]
    public void Target_mistakes_get_their_id_at_their_place(string member, string id)
    {
        AssertFirstDiagnostic(Annotated.Parse($"target T {{\n    clock 1 GHz;\n    {member}\n}}\nprogram P on T {{ }}\n"), id);
    }

    [Test]
    public void Unit_mismatch_renders_file_line_column_source_and_caret()
    {
        var text = "target T {\n    clock 1 GHz;\n    sram s { capacity = 3 GHz; }\n}\nprogram P on T { }\n";
        var rendered = Bind(text)[0].Render().Split(Environment.NewLine);
        Assert.That(rendered[0],
            Is.EqualTo("test.sched(3,25): error SCH1004: s's capacity must be a size in bytes, but 3E+09 Hz is a frequency"));
        Assert.That(rendered[1], Is.EqualTo("        sram s { capacity = 3 GHz; }"));
        Assert.That(rendered[2], Is.EqualTo("                            ^^^^^"));
    }

    [Test]
    public void Parameter_overrides_change_shapes_and_bad_ones_are_diagnostics()
    {
        var text = Target + "program P(n = 4) on T { input x : int8[1, n] in s; output x; }";
        var tree = SyntaxTree.Parse(SourceText.From(text));
        var bound = Binder.Bind(tree, new Dictionary<string, string> { ["n"] = "16" });
        var x = bound.Program!.Body.OfType<BoundTensorDeclaration>().Single().Symbol;
        Assert.That(x.Type.Cols, Is.EqualTo(16));
        var unknown = Binder.Bind(tree, new Dictionary<string, string> { ["m"] = "16" });
        Assert.That(unknown.Diagnostics.Single().Code, Is.EqualTo("SCH1018"));
        var wrongUnit = Binder.Bind(tree, new Dictionary<string, string> { ["n"] = "16 GB" });
        Assert.That(wrongUnit.Diagnostics.Single().Code, Is.EqualTo("SCH1018"));
    }

    [Test]
    public void Deep_nesting_is_a_diagnostic_not_a_crash()
    {
        var text = Target + "program P on T { assert cycles < " + new string('(', 5000) + "1" + new string(')', 5000) + "; }";
        var d = Bind(text);
        Assert.That(d[0].Code, Is.EqualTo("SCH0001"));
    }

    [TestCase("")]
    [TestCase("\0\u0001\u00ff garbage")]
    [TestCase("target")]
    [TestCase("program P on T {")]
    public void Degenerate_files_give_diagnostics(string text)
    {
        var diagnostics = Bind(text);
        Assert.That(diagnostics, Is.Not.Empty);
        Assert.That(diagnostics.All(d => d.Code.StartsWith("SCH")), Is.True);
    }

    [Test]
    public void No_Antlr_type_is_public()
    {
        var leaked = typeof(SyntaxTree).Assembly.GetExportedTypes()
            .Where(t => t.Namespace?.Contains("Generated") == true || t.BaseType?.Namespace?.StartsWith("Antlr4") == true);
        Assert.That(leaked, Is.Empty);
    }

    [Test]
    public void A_diagnostic_on_a_huge_line_shows_a_window_with_the_caret_in_place()
    {
        var text = new string(' ', 100_000) + "$";
        var lines = Bind(text)[0].Render().Split(Environment.NewLine);
        Assert.That(lines[0], Does.StartWith("test.sched(1,100001): error SCH0002"));
        Assert.That(lines[1].Length, Is.LessThanOrEqualTo(4 + 160));
        Assert.That(lines[2].IndexOf('^'), Is.EqualTo(lines[1].IndexOf('$')));
    }

    [TestCase("program P on T { input x : int8[1, 4] in s; output ⟦X⟧; }", "unknown tensor 'X' (did you mean 'x'?)")]
    [TestCase("program P on T { input x : int8[1, 4] in s; let y = ⟦sillu⟧(x); output y; }",
        "unknown operation 'sillu' (did you mean 'silu'?)")]
    [TestCase("program P on ⟦nvidia.h10⟧ { input x : fp16[1, 4]; output x; }",
        "unknown target 'nvidia.h10' (did you mean 'nvidia.h100'?)")]
    [TestCase("program P on T { input x : ⟦int9⟧[1, 4] in s; output x; }", "unknown dtype 'int9' (did you mean 'int4'?)")]
    [TestCase("program P on T { input x : int8[1, 4] in ⟦sx⟧; output x; }", "unknown memory 'sx' (did you mean 's'?)")]
    [TestCase("program P on T { input x : int8[1, 4] in s; let y = ⟦silce⟧(x); output y; }",
        "unknown operation 'silce' (did you mean 'slice'?)", TestName = "two letters swapped are one edit")]
    public void A_near_miss_says_what_was_meant_once(string marked, string message)
    {
        var (text, span) = Annotated.Parse(Target + marked);
        var diagnostics = Bind(text);
        Assert.That(diagnostics, Has.Count.EqualTo(1), string.Join("\n", diagnostics.Select(d => d.Render())));
        Assert.That(diagnostics[0].Message, Does.StartWith(message));
        Assert.That(diagnostics[0].Location.Span, Is.EqualTo(span));
    }

    [Test]
    public void A_misspelt_property_is_one_error_not_also_a_missing_one()
    {
        var (text, span) = Annotated.Parse("target U { clock 1 GHz; sram s { ⟦capacty⟧ = 1 MB; } }\n"
            + "program P on U { input x : int8[1, 4] in s; output x; }");
        var diagnostics = Bind(text);
        Assert.That(diagnostics.Select(d => d.Message),
            Is.EqualTo(new[] { "a sram has no property 'capacty' (did you mean 'capacity'?); it has capacity, bandwidth, latency, " +
            "banks" }));
        Assert.That(diagnostics[0].Location.Span, Is.EqualTo(span));
    }

    [Test]
    public void A_failed_output_statement_is_not_also_a_missing_output()
    {
        var diagnostics = Bind(Target + "program P on T { input x : int8[1, 4] in s; output y; }");
        Assert.That(diagnostics.Select(d => d.Code), Is.EqualTo(new[] { "SCH1001" }));
    }
}
