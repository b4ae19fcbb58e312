using Sched.Runtime;
using Sched.Runtime.Schedules;

namespace Sched.Compiler.Tests;

/// <summary>
/// Multi-chip targets: chips from a preset, chip-to-chip links, and layers spread over the chips when one cannot hold them.
/// </summary>
public class MultiChipTests
{
    [Test]
    public void Layers_that_do_not_fit_one_chip_are_pipelined_over_the_chips()
    {
        var compiled = Examples.Compile("multichip.sched");
        var machine = compiled.Program!.Target.Machine;
        Assert.That(compiled.Schedule!.Notes,
            Does.Contain("w: layers 0-12 on lpu[0], layers 13-25 on lpu[1], layers 26-38 on lpu[2], layers 39-47 on lpu[3]"));
        var s = compiled.Schedule;
        // Every matmul runs on the chip whose SRAM holds its weight tile.
        foreach (var ins in s.Instructions.Where(i => i.Op == Opcode.Matmul))
        {
            var weight = s.Tiles[ins.Operands[^1]];
            Assert.That(weight.Memory, Is.EqualTo(machine.Units[ins.Unit].Pool + ".sram"));
        }
        var run = Host.Run(machine, s, []);
        Assert.That(run.Violations, Is.Empty, run.Report);
        // Only activations cross between chips: three crossings, each the 4 KiB vector once (it stays in the unit's buffer).
        var c2c = machine.Links.Select((l, i) => (l,
            i)).Where(x => x.l.From.Split('.')[0] != x.l.To.Split('.')[0]).Sum(x => run.Replay.LinkBytes[x.i]);
        Assert.That(c2c, Is.EqualTo(3 * 4096));
    }

    [Test]
    public void The_bound_sees_the_pipeline_fill_behind_the_first_chips_weights()
    {
        // lpu[0]'s SRAM port carries 13 layers of weights: a layer is 12 tiles of 4096 × 320 B (15 cycles each at 88.9 kB a cycle)
        // and one of 4096 × 256 B (12 cycles), 192 cycles, 2,496 in all. The last of them still has 35 layers of matmuls after it
        // on the chips that follow, each at least its 13 output blocks on one MXM (12 of 4 cycles and one of 3: 51). So no
        // schedule is shorter than 2,496 + 35 × 51 = 4,281 cycles: above the critical path (one block a layer, 3,026) and the
        // busiest port alone (2,665), which were all the bound used to see.
        var compiled = Examples.Compile("multichip.sched");
        var run = Host.Run(compiled.Program!.Target.Machine, compiled.Schedule!, []);
        Assert.That(run.Bound, Is.GreaterThanOrEqualTo(2496 + 35 * 51));
        Assert.That(run.Bound, Is.LessThanOrEqualTo(run.Replay.Cycles));
        // With each chip's work counted before the chips after it (AncestorEnergy) the bound comes within 20% of the schedule.
        Assert.That((double)run.Replay.Cycles / run.Bound, Is.LessThanOrEqualTo(1.2));
        Assert.That(run.BoundKind, Does.EndWith("between the work before and after it"));
        Assert.That(compiled.Schedule!.Bound, Is.GreaterThanOrEqualTo(2496 + 35 * 51), "the compiler's own bound sees it too");
    }

    [Test]
    public void Too_few_chips_is_a_diagnostic_at_the_weight()
    {
        var text = File.ReadAllText(Path.Combine(Examples.Folder, "multichip.sched")).Replace("chip lpu[4]", "chip lpu[3]");
        var result = Compilation.Compile(Sched.Language.Text.SourceText.From(text, "m.sched"));
        var d = result.Diagnostics.Single();
        Assert.That(d.Code, Is.EqualTo("SCH2001"));
        Assert.That(d.Message, Does.Contain("the 3 chips of lpu cannot hold w[39]"));
        Assert.That(d.Location.Line, Is.EqualTo(text.Split('\n').ToList().FindIndex(l => l.Contains("weight w")) + 1));
    }

    [Test]
    public void Chips_must_share_the_targets_clock()
    {
        var text = "target R { clock 1 GHz; chip lpu[2] : groq.lpu; }\nprogram P on R { input x : int8[1, 4] in lpu; output x; }\n";
        var result = Compilation.Compile(Sched.Language.Text.SourceText.From(text, "r.sched"));
        Assert.That(result.Diagnostics.Single().Message, Does.Contain("groq.lpu runs at 900 MHz"));
    }
}
