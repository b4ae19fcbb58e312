using Sched.Language.Text;
using Sched.Runtime;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>Chips joined in a ring, a torus, fully or through a switch; routes over several hops; work pinned to a chip.</summary>
public class TopologyTests
{
    // 14 GB/s at 900 MHz is 15.56 B a cycle; 1 µs a hop is 900 cycles.
    private static string Target(string links, int chips = 8) =>
        $"target Net {{\n    chip lpu[{chips}] : groq.lpu;\n    {links}\n}}\n";

    private static CompileResult Compile(string text)
    {
        var result = Compilation.Compile(SourceText.From(text, "t.sched"));
        Assert.That(result.Diagnostics, Is.Empty, string.Join("\n", result.Diagnostics.Select(d => d.Render())));
        return result;
    }

    private static Machine MachineOf(string links, int chips = 8) =>
        Compile(Target(links, chips) + "program P on Net { input x : int8[1, 64] in lpu; output x; }\n").Program!.Target.Machine;

    private static string[] Route(Machine machine, int from, int to) =>
        machine.Links[machine.LinkIndex($"lpu[{from}].sram", $"lpu[{to}].mxm")].Route.Select(c => machine.Channels[c].Name).ToArray();

    [Test]
    public void A_ring_routes_the_short_way_round_and_adds_each_hops_latency()
    {
        var machine = MachineOf("link lpu ring { bandwidth = 14 GB/s; latency = 1 us; }");
        Assert.That(machine.Channels, Has.Count.EqualTo(16));
        Assert.That(Route(machine, 0, 3), Is.EqualTo(new[] { "lpu[0]=>lpu[1]", "lpu[1]=>lpu[2]", "lpu[2]=>lpu[3]" }));
        Assert.That(Route(machine, 0, 5), Is.EqualTo(new[] { "lpu[0]=>lpu[7]", "lpu[7]=>lpu[6]", "lpu[6]=>lpu[5]" }));
        var far = machine.Links[machine.LinkIndex("lpu[0].sram", "lpu[4].mxm")];
        Assert.That((far.Route.Count, far.Latency), Is.EqualTo((4, 4 * 900)));
        // Stores reach another chip's memory the same way.
        Assert.That(machine.LinkIndex("lpu[0].mxm", "lpu[5].sram"), Is.GreaterThanOrEqualTo(0));
    }

    [Test]
    public void A_torus_joins_each_chip_to_its_neighbours_in_every_dimension_and_routes_in_dimension_order()
    {
        var machine = MachineOf("link lpu torus(2, 4) { bandwidth = 14 GB/s; }");
        // Chip k sits at (k % 2, k / 2): one neighbour across the dimension of 2, two along the ring of 4: 3 × 8 channels.
        Assert.That(machine.Channels, Has.Count.EqualTo(24));
        Assert.That(Route(machine, 0, 7), Is.EqualTo(new[] { "lpu[0]=>lpu[1]", "lpu[1]=>lpu[7]" }));
        Assert.That(Enumerable.Range(1, 7).Max(to => Route(machine, 0, to).Length), Is.EqualTo(3));
    }

    [Test]
    public void Through_a_switch_any_two_chips_are_two_hops_apart_and_fully_connected_ones_one()
    {
        var switched = MachineOf("link lpu switch { bandwidth = 14 GB/s; }");
        Assert.That(Route(switched, 1, 6), Is.EqualTo(new[] { "lpu[1]=>lpu.switch", "lpu.switch=>lpu[6]" }));
        var all = MachineOf("link lpu all { bandwidth = 14 GB/s; }");
        Assert.That(all.Channels, Has.Count.EqualTo(8 * 7));
        Assert.That(Route(all, 1, 6), Is.EqualTo(new[] { "lpu[1]=>lpu[6]" }));
    }

    [Test]
    public void Named_chips_joined_directly_take_the_short_cut()
    {
        var machine = MachineOf("link lpu -> lpu { bandwidth = 14 GB/s; }\n    link lpu[0] <-> lpu[6] { bandwidth = 7 GB/s; }");
        Assert.That(Route(machine, 0, 7), Is.EqualTo(new[] { "lpu[0]=>lpu[6]", "lpu[6]=>lpu[7]" }));
        // The slowest hop sets the route's bandwidth: 7 GB/s ÷ 900 MHz.
        Assert.That(machine.Links[machine.LinkIndex("lpu[0].sram", "lpu[7].mxm")].BytesPerCycle, Is.EqualTo(7e9 / 900e6).Within(1e-9));
        Assert.That(machine.LinkIndex("lpu[7].sram", "lpu[0].mxm"), Is.EqualTo(-1), "a chain runs one way");
    }

    [Test]
    public void A_transfer_over_two_hops_holds_both_and_takes_the_hops_latency()
    {
        // x (64 int8, 64 B) is on lpu[0]; the add runs on lpu[2]: its load crosses lpu[0]=>lpu[1]=>lpu[2], ceil(64 ÷ 15.56) = 5
        // cycles, arriving 2 × 900 + 1 (the SRAM's cycle) later.
        var text = Target("link lpu ring { bandwidth = 14 GB/s; latency = 1 us; }", chips: 4)
            + "program P on Net { input x : int8[1, 64] in lpu[0]; let y = add(x, x) on lpu[2]; output y; }\n";
        var compiled = Compile(text);
        var machine = compiled.Program!.Target.Machine;
        var load = compiled.Schedule!.Instructions.Single(i => i.Op == Opcode.Load);
        Assert.That(machine.Links[load.Link].Name, Is.EqualTo("lpu[0].sram->lpu[2].mxm"));
        var step = machine.StepOf(load, compiled.Schedule.Tiles)!.Value;
        Assert.That((step.Duration, step.After), Is.EqualTo((5L, 1800L)));
        Assert.That(machine.Holds(load, step, compiled.Schedule.Tiles).Select(h => machine.Resources[h.Resource].Name),
            Is.EqualTo(new[] { "lpu[0].sram->lpu[2].mxm", "lpu[0]=>lpu[1]", "lpu[1]=>lpu[2]" }));
        var run = Host.Run(machine, compiled.Schedule, []);
        Assert.That(run.Violations, Is.Empty, run.Report);
        Assert.That(run.Report, Does.Contain("lpu[1]=>lpu[2]"));
    }

    [Test]
    public void Two_routes_that_share_a_hop_take_turns_on_it_and_the_verifier_sees_an_overlap()
    {
        // lpu[1] and lpu[2] both read x from lpu[0]: both routes start with lpu[0]=>lpu[1], so the loads cannot overlap.
        var text = Target("link lpu -> lpu { bandwidth = 14 GB/s; }", chips: 3)
            + "program P on Net { input x : int8[1, 320] in lpu[0]; let a = add(x, x) on lpu[1]; let b = add(x, x) on lpu[2];\n"
            + "  output a; output b; }\n";
        var compiled = Compile(text);
        var machine = compiled.Program!.Target.Machine;
        var loads = compiled.Schedule!.Instructions.Where(i => i.Op == Opcode.Load).OrderBy(i => i.Cycle).ToList();
        Assert.That(loads, Has.Count.EqualTo(2));
        var first = machine.StepOf(loads[0], compiled.Schedule.Tiles)!.Value;
        Assert.That(loads[1].Cycle, Is.GreaterThanOrEqualTo(loads[0].Cycle + first.Duration));
        var overlapped = compiled.Schedule.WithInstructions(compiled.Schedule.Instructions
            .Select(i => ReferenceEquals(i, loads[1]) ? i with { Cycle = loads[0].Cycle } : i).OrderBy(i => i.Cycle).ToList());
        var violations = Verifier.Verify(machine, overlapped);
        Assert.That(violations.Any(v => v.Kind == ViolationKind.LaneConflict && v.Where == "lpu[0]=>lpu[1]"), Is.True,
            string.Join("\n", violations.Select(v => v.Message)));
    }

    [Test]
    public void Work_pinned_by_a_loop_index_runs_on_that_chip()
    {
        var text = Target("link lpu ring { bandwidth = 14 GB/s; }", chips: 4)
            + "program P(d = 640, layers = 8) on Net {\n  input x : int8[1, d] in lpu[0];\n  weight w : int8[layers, d, d] in lpu;\n"
            + "  let h = x;\n  for l in 0 .. layers { h = matmul(h, w[l]) on lpu[l % 4]; }\n  let y = add(h, x) on lpu[1] in lpu[3];\n"
            + "  output y;\n}\n";
        var compiled = Compile(text);
        var machine = compiled.Program!.Target.Machine;
        var s = compiled.Schedule!;
        var matmuls = s.Instructions.Where(i => i.Op == Opcode.Matmul).ToList();
        foreach (var ins in matmuls)
            Assert.That(machine.Units[ins.Unit].Pool, Is.EqualTo($"lpu[{s.Tiles[ins.Operands[^1]].Layer % 4}]"));
        var adds = s.Instructions.Where(i => i.Op == Opcode.Add).ToList();
        Assert.That(adds.Select(a => (machine.Units[a.Unit].Pool, s.Tiles[a.Result].Memory)),
            Is.EqualTo(new[] { ("lpu[1]", "lpu[3].sram"), ("lpu[1]", "lpu[3].sram") }));
        var run = Host.Run(machine, s, []);
        Assert.That(run.Violations, Is.Empty, run.Report);
    }

    [Test]
    public void Routes_too_long_to_list_are_a_diagnostic_at_the_link_and_a_torus_of_as_many_chips_is_not()
    {
        // A ring of 576: 576 × 575 routes of 144 hops on average, 47.7 million in all, above the 20 million listed.
        var ring = Target("link lpu ring { bandwidth = 14 GB/s; }", chips: 576)
            + "program P on Net { input x : int8[1, 64] in lpu; output x; }\n";
        var d = Compilation.Compile(SourceText.From(ring, "t.sched")).Diagnostics.Single();
        Assert.That((d.Code, d.Location.Line), Is.EqualTo(("SCH2002", 3)));
        Assert.That(d.Message, Does.Contain("the routes between the 576 chips of lpu cross more than 2·10^7 hops"));
        Assert.That(MachineOf("link lpu torus(24, 24) { bandwidth = 14 GB/s; }", chips: 576).Channels, Has.Count.EqualTo(4 * 576));
    }

    [TestCase("link lpu rnig { bandwidth = 14 GB/s; }", "SCH1001", "rnig", "unknown shape of links 'rnig' (did you mean 'ring'?)")]
    [TestCase("link lpu torus(3, 3) { bandwidth = 14 GB/s; }", "SCH1016", "3, 3", "torus(3, 3) has 9 places for 8 chips")]
    [TestCase("link lpu ring(2) { bandwidth = 14 GB/s; }", "SCH1016", "2", "a ring takes no dimensions")]
    [TestCase("link lpu[0] <-> lpu[8] { bandwidth = 14 GB/s; }", "SCH1015", "8", "index 8 is outside lpu's 8 chips")]
    [TestCase("link lpu[0] <-> lpu { bandwidth = 14 GB/s; }", "SCH1011", "0", "a link between two chips names both")]
    [TestCase("link lpu ring { bandwidth = 14 GB/s; }\n    link lpu[0] -> lpu[1] { bandwidth = 14 GB/s; }", "SCH1016",
        "link lpu[0] -> lpu[1] { bandwidth = 14 GB/s; }", "lpu[0] is already joined to lpu[1]")]
    [TestCase("link gpu ring { bandwidth = 14 GB/s; }", "SCH1001", "gpu", "unknown group of chips 'gpu'")]
    public void A_mistake_in_a_topology_is_one_diagnostic_at_it(string links, string code, string marked, string message)
    {
        var text = Target(links) + "program P on Net { input x : int8[1, 64] in lpu; output x; }\n";
        var d = Compilation.Compile(SourceText.From(text, "t.sched")).Diagnostics.Single();
        Assert.That(d.Code, Is.EqualTo(code), d.Render());
        Assert.That(d.Message, Does.Contain(message));
        var line = text.Split('\n')[d.Location.Line - 1];
        Assert.That(line[(d.Location.Column - 1)..], Does.StartWith(marked));
    }

    [TestCase("let y = add(x, x) on lpu[4];", "SCH1015", "4", "index 4 is outside lpu's 4 chips")]
    [TestCase("let y = add(x, x) on lpu[0] in lpu[9];", "SCH1015", "9", "index 9 is outside lpu's 4 chips")]
    [TestCase("let y = x in lpu[1];", "SCH1016", "1", "only an operation's result is placed on a chip")]
    public void A_mistake_in_a_pin_is_one_diagnostic_at_it(string statement, string code, string marked, string message)
    {
        var text = Target("link lpu ring { bandwidth = 14 GB/s; }", chips: 4)
            + $"program P on Net {{\n  input x : int8[1, 64] in lpu[0];\n  {statement}\n  output x;\n}}\n";
        var d = Compilation.Compile(SourceText.From(text, "t.sched")).Diagnostics.Single();
        Assert.That(d.Code, Is.EqualTo(code), d.Render());
        Assert.That(d.Message, Does.Contain(message));
        Assert.That(text.Split('\n')[d.Location.Line - 1][(d.Location.Column - 1)..], Does.StartWith(marked));
    }
}
