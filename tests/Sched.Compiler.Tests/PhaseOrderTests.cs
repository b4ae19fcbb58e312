using Sched.Language.Text;
using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>Phases run one after another, each starting with empty unit buffers; time(PHASE) is what a phase adds.</summary>
public class PhaseOrderTests
{
    // Two independent phases: without the order, b's loads and matmul would run beside a's.
    private const string Source = """
        target Tiny {
            clock 1 GHz;
            tile 64;
            sram   sbuf { capacity = 1 MiB; latency = 2 cycles; }
            matrix mxu  { peak = 512 GFLOP/s; latency = 4 cycles; }
            link   sbuf <-> mxu { bandwidth = 64 GB/s; latency = 3 cycles; }
        }
        program P on Tiny {
            input  x : int8[4, 64] in sbuf;
            input  z : int8[4, 64] in sbuf;
            weight w : int8[64, 128] in sbuf;
            phase first {
                let a = matmul(x, w);
                output a;
            }
            phase second {
                let b = matmul(z, w);
                output b;
            }
            assert time(first) > 0 s;
            assert time(second) > 0 s;
        }
        """;

    private static (Schedule Schedule, Runtime.RunResult Run, Func<int, int, long> Start, Func<int, int, long> End) Compile()
    {
        var compiled = Compilation.Compile(SourceText.From(Source, "phases.sched"), new CompileOptions());
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        var run = Emit.InProcess.Run(compiled);
        Assert.That(run.Passed, Is.True, run.Report);
        var (s, machine) = (compiled.Schedule!, compiled.Program!.Target.Machine);
        IEnumerable<Instruction> Of(int first, int last) => s.Instructions.Where(i => i.Source.Line >= first && i.Source.Line <= last);
        long Start(int first, int last) => Of(first, last).Min(i => i.Cycle);
        long End(int first, int last) => Of(first, last).Max(i => i.Cycle + machine.StepOf(i, s.Tiles)!.Value.Duration
            + machine.StepOf(i, s.Tiles)!.Value.After);
        return (s, run, Start, End);
    }

    [Test]
    public void The_second_phase_starts_after_the_first_has_ended()
    {
        var (_, _, start, end) = Compile();
        Assert.That(start(16, 19), Is.GreaterThanOrEqualTo(end(12, 15)));
    }

    [Test]
    public void Time_of_a_phase_is_what_it_adds_after_the_one_before()
    {
        var (_, run, _, end) = Compile();
        var (first, second) = (end(12, 15), end(16, 19));
        Assert.That(run.Contracts[0].Measured, Is.EqualTo(first * 1e-9).Within(1e-15));
        Assert.That(run.Contracts[1].Measured, Is.EqualTo((second - first) * 1e-9).Within(1e-15));
        Assert.That(run.Contracts[1].Contract.Unit, Is.EqualTo("s"));
    }

    [Test]
    public void The_verifier_rejects_a_second_phase_moved_before_the_first_has_ended()
    {
        var compiled = Compilation.Compile(SourceText.From(Source, "phases.sched"), new CompileOptions());
        var (s, machine, phases) = (compiled.Schedule!, compiled.Program!.Target.Machine, compiled.Program.Phases);
        Assert.That(phases.Select(p => (p.Name, p.FirstLine, p.LastLine)), Is.EqualTo(new[] { ("first", 12, 15), ("second", 16, 19) }));
        Assert.That(Verifier.Verify(machine, s, phases), Is.Empty);
        // Every instruction of the second phase a cycle earlier than the first phase's end allows.
        var moved = s.WithInstructions(s.Instructions.Select(i => i.Source.Line >= 16 ? i.WithCycle(i.Cycle - 1) : i).ToList());
        var overlaps = Verifier.Verify(machine, moved, phases).Where(v => v.Kind == ViolationKind.PhaseOverlap).ToList();
        Assert.That(overlaps, Has.Count.EqualTo(1));
        Assert.That(overlaps[0].Source.Line, Is.EqualTo(17));
        // Without the program's phases the same schedule breaks no rule of the machine: the order is the program's.
        Assert.That(Verifier.Verify(machine, moved).Select(v => v.Kind), Has.None.EqualTo(ViolationKind.PhaseOverlap));
    }

    [Test]
    public void The_bound_runs_the_phases_one_after_another()
    {
        var compiled = Compilation.Compile(SourceText.From(Source, "phases.sched"), new CompileOptions());
        var (s, machine, phases) = (compiled.Schedule!, compiled.Program!.Target.Machine, compiled.Program.Phases);
        var (alone, ordered) = (Verifier.Check(machine, s).Bound, Verifier.Check(machine, s, phases).Bound);
        Assert.That(ordered, Is.GreaterThan(alone), "two independent phases overlap unless the bound knows their order");
        Assert.That(ordered, Is.LessThanOrEqualTo(Emit.InProcess.Run(compiled).Replay.Cycles));
    }

    [Test]
    public void A_block_declared_outside_a_phase_makes_instructions_of_the_phase_that_calls_it()
    {
        var text = Source.Replace("phase first {", "block mm(v) { return matmul(v, w); }\n    phase first {")
            .Replace("let a = matmul(x, w);", "let a = mm(x);").Replace("let b = matmul(z, w);", "let b = mm(z);");
        var compiled = Compilation.Compile(SourceText.From(text, "phases.sched"), new CompileOptions());
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        var s = compiled.Schedule!;
        Assert.That(s.Instructions.Select(i => i.Source.Line).Distinct().Order(), Is.EqualTo(new[] { 14, 18 }), "the calls' lines");
        var run = Emit.InProcess.Run(compiled);
        Assert.That(run.Passed, Is.True, run.Report);
        Assert.That(run.Contracts[1].Measured, Is.GreaterThan(0), run.Report);
    }

    [Test]
    public void A_phase_loads_again_what_the_phase_before_left_in_a_unit_buffer()
    {
        var (s, _, _, _) = Compile();
        // w is two 64-column tiles of 4 KiB; each phase loads both: 4 loads of w, not 2.
        var loads = s.Instructions.Where(i => i.Op == Opcode.Load && s.Tiles[i.Result].Tensor == "w").ToList();
        Assert.That(loads.Select(i => s.Tiles[i.Result].ColumnOffset).Order(), Is.EqualTo(new[] { 0, 0, 64, 64 }));
        Assert.That(loads.Sum(i => i.Bytes), Is.EqualTo(4 * 4096));
    }

    [TestCase("assert time(⟦frist⟧) > 0 s;", "SCH1001", "unknown phase 'frist' (did you mean 'first'?)")]
    [TestCase("assert ⟦time(first, second)⟧ > 0 s;", "SCH1013", null)]
    public void A_phase_time_of_no_phase_is_one_error_at_its_place(string marked, string id, string? message)
    {
        var assert = marked.Replace("⟦", "").Replace("⟧", "");
        var text = Source.Replace("assert time(first) > 0 s;", assert);
        var at = text.IndexOf(assert, StringComparison.Ordinal) + marked.IndexOf('⟦');
        var compiled = Compilation.Compile(SourceText.From(text, "phases.sched"), new CompileOptions());
        Assert.That(compiled.Diagnostics.Select(d => d.Code), Is.EqualTo(new[] { id }));
        Assert.That(compiled.Diagnostics[0].Location.Span, Is.EqualTo(new TextSpan(at, marked.IndexOf('⟧') - marked.IndexOf('⟦') - 1)));
        if (message is not null) Assert.That(compiled.Diagnostics[0].Message, Does.StartWith(message));
    }
}
