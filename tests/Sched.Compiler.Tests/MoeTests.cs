using Sched.Language.Binding;
using Sched.Language.Text;
using Sched.Runtime.Schedules;

namespace Sched.Compiler.Tests;

/// <summary>Mixture of experts with a static routing: only routed experts are read, and the values are the dense FFN's.</summary>
public class MoeTests
{
    private const string Target = """
        target Small {
            clock 1 GHz;
            tile 16;
            sram   s { capacity = 4 MiB; latency = 2 cycles; }
            matrix mxu[2] { peak = 512 GFLOP/s; latency = 4 cycles; }
            vector vpu { peak = 64 GFLOP/s; latency = 2 cycles; }
            link   s <-> mxu { bandwidth = 64 GB/s; latency = 3 cycles; }
            link   s <-> vpu { bandwidth = 32 GB/s; latency = 3 cycles; }
        }

        """;

    private static string Program(string settings, int experts = 8, int tokens = 6) => Target + $$"""
        program P(tokens = {{tokens}}, d = 32, ffn = 48, experts = {{experts}}) on Small {
            input  x  : fp32[tokens, d] in s;
            weight wg : fp32[experts, d, ffn] in s;
            weight wu : fp32[experts, d, ffn] in s;
            weight wd : fp32[experts, ffn, d] in s;
            let y = moe(x, wg, wu, wd, {{settings}});
            output y;
        }
        """;

    private static CompileResult Compile(string text)
    {
        var compiled = Compilation.Compile(SourceText.From(text, "moe.sched"), new CompileOptions(Functional: FunctionalMode.On));
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        return compiled;
    }

    [Test]
    public void Only_the_experts_a_token_chose_are_read_and_the_values_hold()
    {
        var compiled = Compile(Program("top_k = 2, skew = 150, seed = 3"));
        var run = Emit.InProcess.Run(compiled);
        Assert.That(run.Passed, Is.True, run.Report);
        Assert.That(run.Functional, Does.StartWith("ok"));
        var routing = Routing.Assign(6, 8, 2, 1.5, 3);
        var touched = Enumerable.Range(0, 8).Where(e => routing[e].Length > 0).ToList();
        Assert.That(routing.Sum(r => r.Length), Is.EqualTo(12), "6 tokens × top 2");
        var s = compiled.Schedule!;
        var layersRead = s.Instructions.Where(i => i.Op == Opcode.Load).Select(i => s.Tiles[i.Result])
            .Where(t => t.Tensor is "wg" or "wu" or "wd").Select(t => t.Layer).Distinct().Order();
        Assert.That(layersRead, Is.EqualTo(touched));
        // Each touched expert's three 32 × 48 fp32 matrices, once: 3 × 6,144 B an expert.
        var weightBytes = s.Instructions.Where(i => i.Op == Opcode.Load && s.Tiles[i.Result].Tensor is "wg" or "wu" or "wd").Sum(i
            => i.Bytes);
        Assert.That(weightBytes, Is.EqualTo(touched.Count * 3 * 6144));
        Assert.That(s.Notes[0], Does.StartWith($"moe at line 15: {touched.Count} of 8 experts touched"));
    }

    [Test]
    public void One_expert_taking_every_token_is_the_dense_ffn_bit_for_bit()
    {
        var moe = Emit.InProcess.Run(Compile(Program("top_k = 1", experts: 1)));
        var dense = Target + """
            program P(tokens = 6, d = 32, ffn = 48, experts = 1) on Small {
                input  x  : fp32[tokens, d] in s;
                weight wg : fp32[experts, d, ffn] in s;
                weight wu : fp32[experts, d, ffn] in s;
                weight wd : fp32[experts, ffn, d] in s;
                let y = matmul(mul(silu(matmul(x, wg[0])), matmul(x, wu[0])), wd[0]);
                output y;
            }
            """;
        var run = Emit.InProcess.Run(Compile(dense));
        Assert.That(moe.Replay.Outputs!["y"], Is.EqualTo(run.Replay.Outputs!["y"]));
    }

    [Test]
    public void A_routing_is_the_same_for_the_same_seed_and_skew_favours_the_first_experts()
    {
        Assert.That(Routing.Assign(1000, 64, 4, 0, 7), Is.EqualTo(Routing.Assign(1000, 64, 4, 0, 7)));
        var uniform = Routing.Assign(6400, 64, 4, 0, 7).Select(r => r.Length).ToList();
        var skewed = Routing.Assign(6400, 64, 4, 1.2, 7).Select(r => r.Length).ToList();
        Assert.That(uniform.Min(), Is.GreaterThan(300), "25,600 choices over 64 experts: 400 each on average");
        Assert.That(skewed[0], Is.GreaterThan(4 * skewed[63]));
        Assert.That(Routing.Assign(50, 16, 3, 1, 1).All(r => r.Distinct().Count() == r.Length), Is.True);
        Assert.That(Enumerable.Range(0, 50).All(t => Routing.Assign(50, 16, 3, 1, 1).Count(r => r.Contains(t)) == 3), Is.True,
            "each token reaches top_k distinct experts");
    }

    [TestCase("top_k = 9", "SCH1016", TestName = "top_k over the experts")]
    [TestCase("topk = 2", "SCH1025", TestName = "a misspelt moe setting")]
    public void Moe_mistakes_are_diagnostics(string settings, string id)
    {
        var compiled = Compilation.Compile(SourceText.From(Program(settings), "moe.sched"), new CompileOptions());
        Assert.That(compiled.Diagnostics.Select(d => d.Code), Is.EqualTo(new[] { id }), string.Join("\n",
            compiled.Diagnostics.Select(d => d.Render())));
    }
}
