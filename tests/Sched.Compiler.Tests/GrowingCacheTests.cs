using Sched.Language.Text;
using Sched.Runtime;
using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>A KV cache that grows across the steps of a repeat: each step attends over what the steps before it made.</summary>
public class GrowingCacheTests
{
    // Two sequences with 5 cached tokens each; every step adds one key and value a sequence.
    private static string Source(int grows, string buffer = "buffer = 16 KiB;", string more = "") => $$"""
        target Small {
            clock 1 GHz;
            tile 16;
            sram   s { capacity = 4 MiB; latency = 2 cycles; banks = 2; }
            matrix mxu[2] { peak = 512 GFLOP/s; latency = 4 cycles; {{buffer}} }
            link   s <-> mxu { bandwidth = 64 GB/s; latency = 3 cycles; }
        }
        program P on Small {
            input x : fp32[2, 32] in s;
            weight wq : fp32[32, 32] in s; weight wk : fp32[32, 16] in s; weight wv : fp32[32, 16] in s;
            cache kc : fp32[10, 16] in s; cache vc : fp32[10, 16] in s;
            let h = x;
            repeat 3 {
                let q = matmul(h, wq);
                let k = matmul(h, wk) in s;
                let v = matmul(h, wv) in s;
                h = attention(q, k, v, kc, vc, head_dim = 8, grows = {{grows}}{{more}});
            }
            output h;
        }
        """;

    private static CompileResult Compile(int grows, string buffer = "buffer = 16 KiB;") =>
        Compilation.Compile(SourceText.From(Source(grows, buffer), "grow.sched"), new CompileOptions(Functional: FunctionalMode.On));

    [Test]
    public void Each_step_attends_over_the_cache_and_every_earlier_steps_keys_and_values()
    {
        var compiled = Compile(1);
        var (machine, s, run) = Checked.Run(compiled);
        // Keys a step reads, both sequences together: 2 × (5 cached + the earlier steps' + its own) = 12, 14, 16; per output block.
        var keys = s.Instructions.Where(i => i.Op == Opcode.Attention).OrderBy(i => i.Cycle).Select(i => i.K).Distinct().ToList();
        Assert.That(keys, Is.EqualTo(new[] { 12, 14, 16 }));
        // Step 3 reads the k and v tiles steps 1 and 2 stored, where they stored them.
        var last = s.Instructions.Where(i => i.Op == Opcode.Attention).MaxBy(i => i.Cycle)!;
        var stored = s.Instructions.Where(i => i.Op == Opcode.Store).Select(i => i.Result).ToHashSet();
        Assert.That(last.Operands.Count(t => stored.Contains(t) && s.Tiles[t].Tensor.StartsWith('k')), Is.GreaterThanOrEqualTo(3));
        Assert.That(s.Notes.Any(n => n.Contains("initiation interval")), Is.False, "steps that differ are not pipelined");
    }

    [Test]
    public void Windows_of_three_keys_over_the_cache_and_earlier_steps_give_the_reference_values()
    {
        var compiled = Compilation.Compile(SourceText.From(Source(1, more: ", kv_chunk = 3"), "grow.sched"),
            new CompileOptions(Functional: FunctionalMode.On));
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        var run = Host.Run(compiled.Program!.Target.Machine, compiled.Schedule!, []);
        Assert.That(run.Violations, Is.Empty, run.Report);
        Assert.That(run.Functional, Does.StartWith("ok"), run.Report);
        // The last step: 10 cached rows in windows of 3 (4 steps), two earlier steps' 2 rows each (1 each), its own 2 (1): 7 steps.
        var last = compiled.Schedule!.Instructions.Where(i => i.Op == Opcode.Attention).GroupBy(i => i.Unit).First()
            .OrderBy(i => i.Cycle).TakeLast(7).ToList();
        Assert.That(last.Select(i => i.K), Is.EqualTo(new[] { 3, 3, 3, 1, 2, 2, 2 }));
    }

    [Test]
    public void Without_growth_every_step_reads_the_same_keys_and_the_steps_are_pipelined()
    {
        var compiled = Compile(0, buffer: "");
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        var s = compiled.Schedule!;
        Assert.That(s.Instructions.Where(i => i.Op == Opcode.Attention).Select(i => i.K).Distinct(), Is.EqualTo(new[] { 12 }));
        Assert.That(s.Notes.Any(n => n.Contains("initiation interval")), Is.True);
        Assert.That(Host.Run(compiled.Program!.Target.Machine, s, []).Functional, Does.StartWith("ok"));
    }

    [Test]
    public void Steps_a_bounded_buffer_makes_differ_are_scheduled_as_one_program_with_a_note()
    {
        // The second step's loads wait for space the first step's tiles hold: the steps differ, so no modulo schedule.
        var compiled = Compile(0);
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        Assert.That(compiled.Schedule!.Notes, Has.Some.Contains("no modulo schedule"));
        Assert.That(Host.Run(compiled.Program!.Target.Machine, compiled.Schedule!, []).Violations, Is.Empty);
    }
}
