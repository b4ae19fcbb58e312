using Sched.Language.Text;
using Sched.Runtime;
using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>Attention over a cache longer than the unit's buffer: streamed in row windows with an online softmax, by hand.</summary>
public class AttentionWindowTests
{
    // Two sequences of 64 cached keys: kc and vc are 128 rows × 16 fp32 columns = 8 KiB each, twice the 4 KiB buffer.
    private static string Source(string chunk) => $$"""
        target T {
            clock 1 GHz;
            tile 16;
            sram   s { capacity = 1 MiB; latency = 2 cycles; }
            matrix mxu { peak = 1 TFLOP/s; latency = 4 cycles; buffer = 4 KiB; }
            link   s <-> mxu { bandwidth = 64 GB/s; latency = 3 cycles; }
        }
        program P on T {
            input q : fp32[2, 32] in s; input k : fp32[2, 16] in s; input v : fp32[2, 16] in s;
            cache kc : fp32[128, 16] in s; cache vc : fp32[128, 16] in s;
            let y = attention(q, k, v, kc, vc, head_dim = 16{{chunk}});
            output y;
        }
        """;

    private static CompileResult Compile(string chunk) =>
        Compilation.Compile(SourceText.From(Source(chunk), "window.sched"), new CompileOptions(Functional: FunctionalMode.On));

    [Test]
    public void A_cache_longer_than_the_buffer_is_read_once_a_block_in_windows_that_fit()
    {
        var compiled = Compile("");
        var (machine, s, run) = Checked.Run(compiled);
        // Half the buffer (2,048 B) less q's block and the result (2 × 128 B) and the state in and out (2 × 2 × 18 × 4 B) leaves
        // 1,504 B: 11 rows of k and v (128 B a row). 128 rows are 12 windows (11 × 11 + 7), then one of the 2 new keys: 13 steps.
        var steps = s.Instructions.Where(i => i.Op == Opcode.Attention).ToList();
        Assert.That(steps, Has.Count.EqualTo(2 * 13), "two output blocks (one head each)");
        var views = s.Tiles.Where(t => t.IsView).ToList();
        Assert.That(views.Select(t => t.Rows).Max(), Is.EqualTo(11));
        // Each block reads every cached byte at most once (2 blocks × (8 + 8) KiB; the second may find the first's last windows still
        // held), and all of them at least once; the view tiles cover kc and vc exactly.
        var cached = s.Instructions.Where(i => i.Op == Opcode.Load && s.Tiles[i.Result].Tensor is "kc" or "vc").ToList();
        Assert.That(cached.Sum(i => i.Bytes), Is.InRange(16_384 + 1, 2 * 16_384));
        Assert.That(cached.All(i => s.Tiles[i.Result].IsView), Is.True);
        Assert.That(views.Where(t => t.Tensor == "kc").Sum(t => t.Rows), Is.EqualTo(128));
    }

    [Test]
    public void Windows_give_the_whole_softmax_up_to_rounding()
    {
        var streamed = Compile(", kv_chunk = 5");
        var whole = Compile(", kv_chunk = 0");
        Assert.That(whole.Diagnostics.Single().Code, Is.EqualTo("SCH2001"), "all of kc and vc do not fit 4 KiB at once");
        var unbounded = Compilation.Compile(SourceText.From(Source(", kv_chunk = 0").Replace(" buffer = 4 KiB;", ""), "w.sched"),
            new CompileOptions(Functional: FunctionalMode.On));
        var machine = streamed.Program!.Target.Machine;
        var a = Host.Run(machine, streamed.Schedule!, []).Replay.Outputs!["y"];
        var b = Host.Run(unbounded.Program!.Target.Machine, unbounded.Schedule!, []).Replay.Outputs!["y"];
        Assert.That(a, Is.EqualTo(b).Within(1e-12));
    }

    [Test]
    public void A_forged_window_is_caught()
    {
        var compiled = Compile("");
        var s = compiled.Schedule!;
        var view = s.Tiles.First(t => t.IsView);
        var forged = s.WithTiles(s.Tiles.Select(t => t.Id == view.Id ? t with { RowOffset = t.RowOffset + 1 } : t).ToList());
        var violations = Runtime.Verification.Verifier.Verify(compiled.Program!.Target.Machine, forged);
        Assert.That(violations.Select(v => v.Kind), Has.Member(ViolationKind.MalformedInstruction));
        Assert.That(ReferenceChecker.IsValid(compiled.Program!.Target.Machine, forged, out _), Is.False);
    }

    [Test]
    public void A_window_moved_by_a_row_where_it_lies_reads_other_keys_and_is_caught()
    {
        var compiled = Compile("");
        var s = compiled.Schedule!;
        var view = s.Tiles.First(t => t.IsView && t.RowOffset > 0);
        var moved = view with { RowOffset = view.RowOffset - 1, Address = view.Address - view.Bytes / view.Rows };
        var forged = s.WithTiles(s.Tiles.Select(t => t.Id == view.Id ? moved : t).ToList());
        var violations = Runtime.Verification.Verifier.Verify(compiled.Program!.Target.Machine, forged);
        Assert.That(violations.Select(v => v.Kind), Has.Member(ViolationKind.WrongDataflow));
    }

    [Test]
    public void A_stored_schedule_keeps_its_windows_and_one_moved_in_the_file_is_not_the_program()
    {
        var compiled = Compile("");
        var text = ScheduleText.Write(compiled.Program!.Target.Machine, compiled.Schedule!);
        Assert.That(text, Does.Contain(" of="), "views are written with their parent and first row");
        Runtime.RunResult? Verify(string stored)
        {
            var again = Compilation.Compile(SourceText.From(Source(""), "window.sched"),
                new CompileOptions(StoredSchedule: stored, StoredSchedulePath: "w.schedule"));
            return again.Success ? Emit.InProcess.Run(again) : null;
        }
        Assert.That(Verify(text)!.Passed, Is.True);
        var moved = new System.Text.RegularExpressions.Regex(@"(of=\d+ from=)(\d+)").Replace(text,
            m => m.Groups[1].Value + (int.Parse(m.Groups[2].Value) + 1), 1);
        var run = Verify(moved)!;
        Assert.That(run.Violations.Where(v => v.Kind == ViolationKind.NotTheProgram).Select(v => v.Message),
            Has.Some.Contains("rows from 1 of tile"));
    }
}
