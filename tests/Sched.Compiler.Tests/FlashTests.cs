using Sched.Runtime;
using Sched.Runtime.Targets.Kinds;
using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>Flash: whole pages, a die reads one tile at a time for tR a page, a channel carries one transfer at a time.</summary>
public class FlashTests
{
    private static (CompileResult Compiled, Sched.Runtime.Targets.Machine Machine, Schedule Schedule) Flash()
    {
        var compiled = Examples.Compile("flash.sched", FunctionalMode.On);
        return (compiled, compiled.Program!.Target.Machine, compiled.Schedule!);
    }

    private static Schedule Move(Schedule s, int index, long cycle) =>
        s.WithInstructions(s.Instructions.Select((ins, i) => i == index ? ins.WithCycle(cycle) : ins).OrderBy(i => i.Cycle).ToList());

    [Test]
    public void Weights_larger_than_sram_stream_from_flash_at_the_pace_of_its_dies_and_channels()
    {
        var (_, machine, s) = Flash();
        var ssd = machine.Memories.OfType<Flash>().Single();
        var run = Host.Run(machine, s, []);
        Assert.That(run.Violations, Is.Empty, run.Report);
        Assert.That(run.Functional, Does.StartWith("ok"));
        // 32 dies read 32 pages × 50 µs at once (1.6 ms), then 4 tiles a channel at 375 µs each (1.5 ms).
        Assert.That(machine.Seconds(run.Replay.Cycles), Is.EqualTo(3.1e-3).Within(2).Percent);
        var reads = s.Instructions.Where(i => i.Op == Opcode.Read).ToList();
        Assert.That(reads, Has.Count.EqualTo(32));
        Assert.That(reads.Select(r => ssd.Region(s.Tiles[r.Result].Address)).Distinct().Count(), Is.EqualTo(32), "one tile a die");
        Assert.That(reads.All(r => r.Bytes == 32 * 16 * 1024), "whole pages");
    }

    [Test]
    public void A_die_given_two_reads_at_once_is_caught()
    {
        var (_, machine, s) = Flash();
        var ssd = machine.Memories.OfType<Flash>().Single();
        var reads = s.Instructions.Select((ins, i) => (ins, i)).Where(x => x.ins.Op == Opcode.Read).ToList();
        var (a, ai) = reads[0];
        // Put a second tile on the first tile's die, then start both reads together.
        var other = reads[1].ins.Result;
        var tiles = s.Tiles.Select(t => t.Id == other ? t.WithAddress(s.Tiles[a.Result].Address + s.Tiles[a.Result].Bytes) : t).ToList();
        var mutated = Move(s.WithTiles(tiles), reads[1].i, a.Cycle);
        Assert.That(ssd.Region(tiles[other].Address), Is.EqualTo(ssd.Region(s.Tiles[a.Result].Address)));
        var v = Verifier.Verify(machine, mutated).First(x => x.Kind == ViolationKind.BankConflict);
        Assert.That(v.Where, Is.EqualTo($"ssd.die[{ssd.Region(s.Tiles[a.Result].Address)}]"));
        Assert.That(ReferenceChecker.IsValid(machine, mutated, out _), Is.False);
    }

    [Test]
    public void A_load_before_its_pages_are_read_is_caught()
    {
        var (_, machine, s) = Flash();
        var index = s.Instructions.ToList().FindIndex(i => i.Op == Opcode.Load && s.Tiles[i.Result].Memory == "ssd");
        var v = Verifier.Verify(machine, Move(s, index, 0)).First();
        Assert.That(v.Kind, Is.EqualTo(ViolationKind.DataNotReady));
        Assert.That(v.Message, Does.Contain("starts before its read ends"));
    }

    [Test]
    public void Two_loads_on_one_channel_at_once_are_caught()
    {
        var (_, machine, s) = Flash();
        var ssd = machine.Memories.OfType<Flash>().Single();
        var loads = s.Instructions.Select((ins, i) => (ins, i)).Where(x => x.ins.Op == Opcode.Load && s.Tiles[x.ins.Result].Memory == "ssd").ToList();
        int Channel(Instruction ins) => ssd.Region(s.Tiles[ins.Result].Address) / ssd.DiesPerChannel;
        var a = loads[0];
        var b = loads.Skip(1).First(x => Channel(x.ins) == Channel(a.ins));
        var v = Verifier.Verify(machine, Move(s, b.i, a.ins.Cycle)).First(x => x.Kind == ViolationKind.ChannelConflict);
        Assert.That(v.Where, Is.EqualTo($"ssd.channel[{Channel(a.ins)}]"));
    }

    // One channel with one die: both 32-page weight tiles wait for the same die.
    private const string OneDie = """
        target OneDie {
            clock 1 GHz;
            tile 256;
            flash  ssd  { capacity = 1 GB; page = 4 KiB; read = 10 us; channels = 1; dies = 1; rate = 1 GB/s; }
            sram   sbuf { capacity = 1 MB; latency = 2 cycles; }
            matrix mxu  { peak = 10 TFLOP/s; latency = 8 cycles; }
            link   ssd -> mxu { bandwidth = 13 GB/s; latency = 2 us; }
            link   sbuf <-> mxu { bandwidth = 256 GB/s; latency = 2 cycles; }
        }
        program P on OneDie {
            input  x : fp16[1, 256] in sbuf;
            weight w : fp16[256, 512] in ssd;
            let y = matmul(x, w) on mxu in sbuf;
            output y;
        }
        """;

    [Test]
    public void One_channel_of_one_die_reads_one_tile_after_the_other()
    {
        // Each weight tile is 256 × 256 fp16 = 128 KiB = 32 pages: 32 × 10 µs = 320,000 cycles on the one die, so the
        // second read ends at 640,000. Its pages then cross the 1 GB/s channel: 131,072 cycles (the 13 GB/s link would
        // take 10,083), to 771,072; +2 µs link latency = 773,072. The matmul of 2·256·256 FLOP at 10,000 FLOP a cycle
        // takes 14 cycles, +8 latency; the 512 B store takes 2 cycles, +2 link, +2 sram = 773,100 cycles.
        var compiled = Compilation.Compile(Sched.Language.Text.SourceText.From(OneDie, "onedie.sched"), new CompileOptions(Functional: FunctionalMode.On));
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        var run = Emit.InProcess.Run(compiled);
        Assert.That(run.Violations, Is.Empty, run.Report);
        Assert.That(run.Replay.Cycles, Is.EqualTo(773_100));
        Assert.That(run.Functional, Does.StartWith("ok"));
    }

    [Test]
    public void A_flash_write_time_is_refused_rather_than_ignored()
    {
        var source = OneDie.Replace("rate = 1 GB/s; }", "rate = 1 GB/s; write = 500 us; }");
        var d = Compilation.Check(Sched.Language.Text.SourceText.From(source, "w.sched")).Single();
        Assert.That(d.Message, Does.Contain("'write' is not modelled"));
    }
}
