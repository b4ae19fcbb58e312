using Sched.Language.Text;
using Sched.Runtime;
using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>Operand reuse and bounded unit buffers through the whole compiler, against counts made by hand.</summary>
public class UnitBufferTests
{
    // x is 4 tiles of 64 B, w 4 tiles of 256 × 64 = 16 KiB; each output block reads all of x and one tile of w.
    private static string Source(string buffer) => $$"""
        target T {
            clock 1 GHz;
            tile 64;
            sram   s { capacity = 1 MiB; latency = 2 cycles; }
            matrix mxu { peak = 1 TFLOP/s; latency = 4 cycles; {{buffer}} }
            link   s <-> mxu { bandwidth = 64 GB/s; latency = 3 cycles; }
        }
        program P on T {
            input  x : int8[1, 256] in s;
            weight w : int8[256, 256] in s;
            let y = matmul(x, w);
            output y;
        }
        """;

    private static CompileResult Compile(string buffer) =>
        Compilation.Compile(SourceText.From(Source(buffer), "buffer.sched"), new CompileOptions(Functional: FunctionalMode.On));

    [TestCase("", TestName = "unbounded buffer")]
    [TestCase("buffer = 40 KiB;", TestName = "a buffer of two weight tiles")]
    public void The_input_is_loaded_once_and_reused_by_every_output_block(string buffer)
    {
        var compiled = Compile(buffer);
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        var machine = compiled.Program!.Target.Machine;
        var run = Host.Run(machine, compiled.Schedule!, []);
        Assert.That(run.Violations, Is.Empty, run.Report);
        Assert.That(run.Functional, Does.StartWith("ok"));
        Assert.That(ReferenceChecker.IsValid(machine, compiled.Schedule!, out var why), Is.True, why);
        // 256 B of x once + 4 × 16,384 B of w = 65,792 B (each block re-reading x would be 66,560 B).
        Assert.That(run.Replay.LinkBytes[machine.LinkIndex("s", "mxu")], Is.EqualTo(65_792));
        Assert.That(compiled.Schedule!.Instructions.Count(i => i.Op == Opcode.Load), Is.EqualTo(8));
    }

    [Test]
    public void A_bounded_buffer_never_holds_more_than_it_has()
    {
        var compiled = Compile("buffer = 40 KiB;");
        var s = compiled.Schedule!;
        var machine = compiled.Program!.Target.Machine;
        // At most two weight tiles at once: x (256 B) + 2 × 16 KiB + results (64 B each) ≤ 40 KiB; a third would be 49.4 kB.
        var loads = s.Instructions.Where(i => i.Op == Opcode.Load && s.Tiles[i.Result].Tensor == "w").OrderBy(i => i.Cycle).ToList();
        var computes = s.Instructions.Where(i => i.Op == Opcode.Matmul).ToList();
        foreach (var (load, k) in loads.Select((l, k) => (l, k)).Skip(2))
        {
            var reader = computes.Single(c => c.Operands.Contains(loads[k - 2].Result));
            var end = reader.Cycle + machine.StepOf(reader, s.Tiles)!.Value.Duration;
            Assert.That(load.Cycle, Is.GreaterThanOrEqualTo(end), $"w tile {k} loads before w tile {k - 2} is used up");
        }
    }

    [Test]
    public void A_prefetch_past_the_buffer_is_caught_by_both_checkers()
    {
        var compiled = Compile("buffer = 40 KiB;");
        var machine = compiled.Program!.Target.Machine;
        var random = new Random(5);
        var overflows = 0;
        for (var i = 0; i < 200; i++)
        {
            var (kind, mutated, what) = FaultInjection.Mutator.Mutate(machine, compiled.Schedule!, random);
            if (kind != FaultInjection.Mutation.PrefetchEarly) continue;
            var violations = Runtime.Verification.Verifier.Verify(machine, mutated);
            Assert.That(violations, Is.Not.Empty, what);
            Assert.That(ReferenceChecker.IsValid(machine, mutated, out _), Is.False, what);
            overflows += violations.Count(v => v.Kind == ViolationKind.BufferOverflow);
        }
        Assert.That(overflows, Is.GreaterThan(0), "moving the third and fourth weight tiles to cycle 0 overflows the 40 KiB buffer");
    }

    [Test]
    public void A_buffer_too_small_for_one_block_is_a_diagnostic_at_the_operation()
    {
        var compiled = Compile("buffer = 16 KiB;");
        var d = compiled.Diagnostics.Single();
        Assert.That((d.Code, d.Location.Line), Is.EqualTo(("SCH2001", 11)), d.Render());
        Assert.That(d.Message, Does.Contain("needs about 16.64 kB in mxu's buffer, which holds 16.384 kB"));
    }

    [Test]
    public void Tiles_no_later_step_reads_are_evicted_before_those_read_again()
    {
        // A reads w1 and w2, B needs room for w3 and its result (8 KiB of 12), C reads w1 again. Least recently used would evict w1
        // and w2 (the oldest) and load w1 twice; w2 and A's stored result are never read again, so they go and w1 stays.
        const string source = """
            target T {
                clock 1 GHz;
                tile 64;
                sram   s { capacity = 1 MiB; latency = 2 cycles; }
                vector vpu { peak = 1 TFLOP/s; latency = 2 cycles; buffer = 12 KiB; }
                link   s <-> vpu { bandwidth = 64 GB/s; latency = 3 cycles; }
            }
            program P on T {
                weight w1 : int8[64, 64] in s; weight w2 : int8[64, 64] in s; weight w3 : int8[64, 64] in s;
                let a = add(w1, w2);
                let b = silu(w3);
                let c = silu(w1);
                output a; output b; output c;
            }
            """;
        var compiled = Compilation.Compile(SourceText.From(source, "evict.sched"), new CompileOptions(Functional: FunctionalMode.On));
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        var s = compiled.Schedule!;
        var loads = s.Instructions.Where(i => i.Op == Opcode.Load).Select(i => s.Tiles[i.Result].Tensor).ToList();
        Assert.That(loads.Order(), Is.EqualTo(new[] { "w1", "w2", "w3" }), "w1 is loaded once and read by A and C");
        var run = Host.Run(compiled.Program!.Target.Machine, s, []);
        Assert.That(run.Violations, Is.Empty, run.Report);
        Assert.That(run.Functional, Does.StartWith("ok"));
    }
}
