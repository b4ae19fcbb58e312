using Sched.Language.Text;
using Sched.Runtime;
using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>A link that carries more than a tile a cycle moves several tiles a cycle, so a wafer's 21 PB/s is reachable.</summary>
public class LinkSliceTests
{
    // At 1 GHz, 21 PB/s is 21 MB a cycle: a lane of 1,024 slices (the most), 20.5 kB each. A weight tile is 4096 × 128 int8 =
    // 512 KiB, so it takes ceil(1024 × 524,288 ÷ 21,000,000) = 26 slices and 39 tiles cross in one cycle (20.4 MB, 97%).
    private const string Wafer = """
        target Wafer {
            clock 1 GHz;
            tile 128;
            sram   sram  { capacity = 44 GB; }
            matrix cores { peak = 125 PFLOP/s; }
            link   sram <-> cores { bandwidth = 21 PB/s; }
        }
        program Stream(d = 4096, n = 131072) on Wafer {
            input  x : int8[1, d] in sram;
            weight w : int8[d, n] in sram;
            let y = matmul(x, w) on cores in sram;
            output y;
        }
        """;

    private static CompileResult Compile()
    {
        var result = Compilation.Compile(SourceText.From(Wafer, "wafer.sched"), new CompileOptions(Functional: FunctionalMode.Off));
        Assert.That(result.Diagnostics, Is.Empty, string.Join("\n", result.Diagnostics.Select(d => d.Render())));
        return result;
    }

    [Test]
    public void Many_small_tiles_cross_a_wide_link_in_one_cycle_at_nearly_its_bandwidth()
    {
        var compiled = Compile();
        var machine = compiled.Program!.Target.Machine;
        var s = compiled.Schedule!;
        var weights = s.Instructions.Where(i => i.Op == Opcode.Load && s.Tiles[i.Result].Tensor == "w").ToList();
        Assert.That(weights, Has.Count.EqualTo(1024));
        var step = machine.StepOf(weights[0], s.Tiles)!.Value;
        Assert.That(step.Duration, Is.EqualTo(1));
        Assert.That(machine.Holds(weights[0], step, s.Tiles)[0].Amount, Is.EqualTo(26));
        // 1,024 tiles at 39 a cycle: the last leaves in cycle 26, so 512 MiB crossed in 27 ns — 19.9 PB/s, 95% of 21 PB/s.
        var last = weights.Max(i => i.Cycle) + 1;
        Assert.That(last, Is.EqualTo(27));
        var achieved = weights.Sum(i => (double)i.Bytes) / (last / machine.ClockHz);
        Assert.That(achieved, Is.GreaterThan(0.9 * 21e15));
        // Each cycle carries at most 39 of them (39 × 26 = 1,014 of 1,024 slices).
        Assert.That(weights.GroupBy(i => i.Cycle).Max(g => g.Count()), Is.EqualTo(39));
        var run = Host.Run(machine, s, []);
        Assert.That(run.Violations, Is.Empty, run.Report);
    }

    [Test]
    public void A_fortieth_tile_in_a_full_cycle_is_a_lane_conflict()
    {
        var compiled = Compile();
        var machine = compiled.Program!.Target.Machine;
        var s = compiled.Schedule!;
        var full = s.Instructions.Where(i => i.Op == Opcode.Load && s.Tiles[i.Result].Tensor == "w").GroupBy(i => i.Cycle)
            .First(g => g.Count() == 39).Key;
        var moved = s.Instructions.First(i => i.Op == Opcode.Load && s.Tiles[i.Result].Tensor == "w" && i.Cycle > full);
        var broken = s.WithInstructions(s.Instructions.Select(i => ReferenceEquals(i, moved) ? i with { Cycle = full } : i)
            .OrderBy(i => i.Cycle).ToList());
        var violation = Verifier.Verify(machine, broken).First(v => v.Kind == ViolationKind.LaneConflict);
        Assert.That(violation.Message, Does.Contain("needs 26 of a lane's 1024 slices, but only 10 of 1024 are free"));
    }

    [Test]
    public void A_tile_of_a_cycles_worth_or_more_holds_the_whole_lane_as_before()
    {
        // hello.sched's link carries 64 B a cycle: one slice, so nothing changes there.
        var compiled = Examples.Compile("hello.sched");
        var machine = compiled.Program!.Target.Machine;
        Assert.That(machine.Links.Select(l => l.Slices), Is.All.EqualTo(1));
    }
}
