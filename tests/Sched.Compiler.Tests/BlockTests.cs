using Sched.Language.Text;
using Sched.Runtime.Schedules;

namespace Sched.Compiler.Tests;

/// <summary>A block is inlined at each call: a program written with one schedules exactly as the same program written out.</summary>
public class BlockTests
{
    private const string Target = """
        target Tiny {
            clock 1 GHz;
            tile 64;
            sram   sbuf { capacity = 1 MiB; latency = 2 cycles; }
            matrix mxu  { peak = 512 GFLOP/s; latency = 4 cycles; }
            vector vpu  { peak = 64 GFLOP/s; latency = 2 cycles; }
            link   sbuf <-> mxu { bandwidth = 64 GB/s; latency = 3 cycles; }
            link   sbuf <-> vpu { bandwidth = 64 GB/s; latency = 3 cycles; }
        }

        """;

    private const string WithBlock = Target + """
        program P(d = 128, layers = 3) on Tiny {
            input  x : fp32[2, d] in sbuf;
            weight g : fp32[layers, 1, d] in sbuf;
            weight w : fp32[layers, d, d] in sbuf;
            block layer(h, i) {
                let n = rmsnorm(h, g[i]);
                return add(h, matmul(n, w[i]));
            }
            let h = x;
            for l in 0 .. layers {
                h = layer(h, l);
            }
            output h;
        }
        """;

    private const string WrittenOut = Target + """
        program P(d = 128, layers = 3) on Tiny {
            input  x : fp32[2, d] in sbuf;
            weight g : fp32[layers, 1, d] in sbuf;
            weight w : fp32[layers, d, d] in sbuf;
            let h = x;
            for l in 0 .. layers {
                let n = rmsnorm(h, g[l]);
                h = add(h, matmul(n, w[l]));
            }
            output h;
        }
        """;

    private static CompileResult Compile(string text)
    {
        var compiled = Compilation.Compile(SourceText.From(text, "p.sched"), new CompileOptions(Functional: FunctionalMode.On));
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        return compiled;
    }

    [Test]
    public void A_block_called_per_layer_schedules_as_the_layer_written_out()
    {
        var (block, inline) = (Compile(WithBlock), Compile(WrittenOut));
        var (a, b) = (Emit.InProcess.Run(block), Emit.InProcess.Run(inline));
        Assert.That(a.Passed && b.Passed, Is.True, a.Report + b.Report);
        Assert.That(a.Functional, Does.StartWith("ok"));
        Assert.That((a.Replay.Cycles, block.Schedule!.Instructions.Count), Is.EqualTo((b.Replay.Cycles,
            inline.Schedule!.Instructions.Count)));
        Assert.That(block.Schedule.Instructions.Select(i => (i.Op, i.Cycle)), Is.EqualTo(inline.Schedule.Instructions.Select(i => (i.Op,
            i.Cycle))));
        Assert.That(block.Schedule.Instructions.Count(i => i.Op == Opcode.Matmul), Is.EqualTo(3 * 2), "three layers of two column blocks");
    }

    [Test]
    public void A_stacked_weight_is_passed_to_a_block_by_name_and_indexed_there()
    {
        var text = WithBlock.Replace("block layer(h, i) {", "block layer(h, i, ws) {").Replace("matmul(n, w[i])", "matmul(n, ws[i])")
            .Replace("h = layer(h, l);", "h = layer(h, l, w);");
        var (a, b) = (Emit.InProcess.Run(Compile(text)), Emit.InProcess.Run(Compile(WrittenOut)));
        Assert.That(a.Passed, Is.True, a.Report);
        Assert.That(a.Replay.Outputs!["h"], Is.EqualTo(b.Replay.Outputs!["h"]));
    }

    [TestCase("h = layer(h);", "SCH1013", TestName = "a block called with too few arguments")]
    [TestCase("h = layer(h, l) on mxu;", "SCH1016", TestName = "a block called with 'on'")]
    [TestCase("h = lyer(h, l);", "SCH1017", TestName = "a misspelt block")]
    public void Block_mistakes_are_diagnostics(string call, string id)
    {
        var text = WithBlock.Replace("h = layer(h, l);", call);
        var compiled = Compilation.Compile(SourceText.From(text, "p.sched"), new CompileOptions());
        Assert.That(compiled.Diagnostics.Select(d => d.Code), Is.EqualTo(new[] { id }), string.Join("\n",
            compiled.Diagnostics.Select(d => d.Render())));
        if (id == "SCH1017") Assert.That(compiled.Diagnostics[0].Message, Does.Contain("did you mean 'layer'?"));
    }

    [Test]
    public void A_block_that_calls_itself_is_a_diagnostic_not_a_hang()
    {
        var text = WithBlock.Replace("return add(h, matmul(n, w[i]));", "return layer(h, i);");
        var compiled = Compilation.Compile(SourceText.From(text, "p.sched"), new CompileOptions());
        Assert.That(compiled.Diagnostics.Select(d => d.Code), Is.EqualTo(new[] { "SCH2002" }), "one error, not one a level");
    }
}
