using Sched.Language.Text;
using Sched.Runtime;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>
/// Every operation's tile kernels, scheduled and replayed, give the reference interpreter's values bit for bit, on shapes that
/// cut tensors across tiles of 16 columns (so blocks read several tiles, slices start mid-tile, heads group over KV tiles).
/// </summary>
public class OperationKernelTests
{
    private const string Target = """
        target Small {
            clock 1 GHz;
            tile 16;
            sram   s { capacity = 4 MiB; latency = 2 cycles; banks = 2; }
            matrix mxu[2] { peak = 512 GFLOP/s; latency = 4 cycles; }
            vector vpu { peak = 64 GFLOP/s; latency = 2 cycles; }
            link   s <-> mxu { bandwidth = 64 GB/s; latency = 3 cycles; }
            link   s <-> vpu { bandwidth = 32 GB/s; latency = 3 cycles; }
        }

        """;

    [TestCase("input x : fp32[3, 40] in s; let y = softmax(x);", TestName = "softmax over rows cut into 3 tiles")]
    [TestCase("input x : fp32[3, 40] in s; weight g : fp32[40] in s; let y = rmsnorm(x, g);", TestName = "rmsnorm")]
    [TestCase("input x : fp32[2, 40] in s; weight g : fp32[40] in s; weight b : fp32[40] in s; let y = layernorm(x, g, b);",
        TestName = "layernorm")]
    [TestCase("input x : fp32[2, 40] in s; let y = gelu(x);", TestName = "gelu")]
    [TestCase("input x : fp32[2, 40] in s; let y = copy(x);", TestName = "copy")]
    [TestCase("input x : fp32[3, 48] in s; let y = rope(x, head_dim = 8, position = 7);", TestName = "rope, decode")]
    [TestCase("input x : fp32[6, 32] in s; let y = rope(x, head_dim = 16, sequences = 2);", TestName = "rope, two prompts")]
    [TestCase("input x : fp32[2, 40] in s; let y = slice(x, from = 5, to = 37);", TestName = "slice starting mid-tile")]
    [TestCase("input x : fp32[6, 40] in s; let y = slice(x, from = 3, row_from = 5);", TestName = "slice of the last row")]
    [TestCase("input a : fp32[2, 20] in s; input b : fp32[2, 30] in s; let y = concat(a, b);", TestName = "concat across a tile edge")]
    [TestCase("input x : fp32[20, 40] in s; let y = transpose(x);", TestName = "transpose")]
    [TestCase("""
        input q : fp32[2, 64] in s; input k : fp32[2, 16] in s; input v : fp32[2, 16] in s;
        cache kc : fp32[10, 16] in s; cache vc : fp32[10, 16] in s;
        let y = attention(q, k, v, kc, vc, head_dim = 8);
        """, TestName = "attention, decode with GQA (8 query heads over 2 KV heads) and a cache of 5 tokens a sequence")]
    [TestCase("""
        input q : fp32[8, 32] in s; input k : fp32[8, 32] in s; input v : fp32[8, 32] in s;
        let y = attention(q, k, v, head_dim = 8, sequences = 2, causal = 1);
        """, TestName = "attention, causal prefill of two prompts")]
    [TestCase("""
        input q : fp32[4, 32] in s; input k : fp32[4, 16] in s; input v : fp32[4, 16] in s;
        cache kc : fp32[6, 16] in s; cache vc : fp32[6, 16] in s;
        let y = attention(q, k, v, kc, vc, head_dim = 16, sequences = 2, causal = 1);
        """, TestName = "attention, causal chunk after a cache")]
    [TestCase("""
        input q : fp32[2, 64] in s; input k : fp32[2, 16] in s; input v : fp32[2, 16] in s;
        cache kc : fp32[10, 16] in s; cache vc : fp32[10, 16] in s;
        let y = attention(q, k, v, kc, vc, head_dim = 8, kv_chunk = 4);
        """, TestName = "attention, decode streaming the cache in windows of 4 rows that cross sequences")]
    [TestCase("""
        input q : fp32[8, 32] in s; input k : fp32[8, 32] in s; input v : fp32[8, 32] in s;
        let y = attention(q, k, v, head_dim = 8, sequences = 2, causal = 1, kv_chunk = 3);
        """, TestName = "attention, causal prefill in windows of 3 keys")]
    [TestCase("""
        input q : fp32[4, 32] in s; input k : fp32[4, 16] in s; input v : fp32[4, 16] in s;
        cache kc : fp32[6, 16] in s; cache vc : fp32[6, 16] in s;
        let y = attention(q, k, v, kc, vc, head_dim = 16, sequences = 2, causal = 1, kv_chunk = 1);
        """, TestName = "attention, causal chunk after a cache, one key row a step")]
    public void Kernels_equal_the_reference_bit_for_bit(string body)
    {
        var text = Target + "program P on Small {\n" + body + "\noutput y;\n}\n";
        var compiled = Compilation.Compile(SourceText.From(text, "op.sched"), new CompileOptions(Functional: FunctionalMode.On));
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        var machine = compiled.Program!.Target.Machine;
        var run = Host.Run(machine, compiled.Schedule!, []);
        Assert.That(run.Violations, Is.Empty, run.Report);
        Assert.That(run.Functional, Does.StartWith("ok"), run.Report);
        Assert.That(ReferenceChecker.IsValid(machine, compiled.Schedule!, out var why), Is.True, why);
    }

    [Test]
    public void Attention_reads_only_the_kv_tiles_of_its_heads()
    {
        // 4 query heads of 16 (one a tile) over 2 KV heads: each output block loads q's tile and one tile of k, v, past k, past v.
        var text = Target + """
            program P on Small {
                input q : fp32[1, 64] in s; input k : fp32[1, 32] in s; input v : fp32[1, 32] in s;
                cache kc : fp32[9, 32] in s; cache vc : fp32[9, 32] in s;
                let y = attention(q, k, v, kc, vc, head_dim = 16);
                output y;
            }
            """;
        var compiled = Compilation.Compile(SourceText.From(text, "op.sched"), new CompileOptions(Functional: FunctionalMode.On));
        var s = compiled.Schedule!;
        var attention = s.Instructions.Where(i => i.Op == Runtime.Schedules.Opcode.Attention).OrderBy(i => s.Tiles[i.Result].ColumnOffset)
            .ToList();
        Assert.That(attention, Has.Count.EqualTo(4));
        Assert.That(attention.Select(i => i.Operands.Length), Is.All.EqualTo(5));
        // Heads 0 and 1 read KV head 0 (columns 0–15), heads 2 and 3 KV head 1.
        Assert.That(attention.Select(i => s.Tiles[i.Operands[1]].ColumnOffset), Is.EqualTo(new[] { 0, 0, 16, 16 }));
        Assert.That(attention.Select(i => i.K), Is.All.EqualTo(10), "9 past keys and the new one");
    }
}
