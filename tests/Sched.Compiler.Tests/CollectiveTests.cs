using Sched.Language.Text;
using Sched.Runtime;
using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>All-reduce and all-gather over a group of chips: the algorithm chosen, the bytes each hop carries, the values exact.</summary>
public class CollectiveTests
{
    // Four LPUs (tiles of 320 columns); each chip computes its own partial product from its own shard of the weight.
    private static string Program(string links, int d, string collective = "allreduce") => $$"""
        target Net {
            chip lpu[4] : groq.lpu;
            {{links}}
        }
        program Tp(d = {{d}}) on Net {
            input  x    : int8[1, d] in lpu[0];
            weight w    : int8[4, d, d] in lpu[*];
            cache  part : int8[4, 1, d] in lpu[*];
            for k in 0 .. 4 { part[k] = matmul(x, w[k]) on lpu[k]; }
            let y = {{collective}}(part) on lpu;
            let z = add(y, y) on lpu[3];
            output z;
        }
        """;

    private const string Ring = "link lpu ring { bandwidth = 14 GB/s; latency = 1 us; }";

    private static (CompileResult Compiled, RunResult Run) CompileAndRun(string text)
    {
        var compiled = Compilation.Compile(SourceText.From(text, "tp.sched"), new CompileOptions(Functional: FunctionalMode.On));
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        var run = Host.Run(compiled.Program!.Target.Machine, compiled.Schedule!, []);
        Assert.That(run.Violations, Is.Empty, run.Report);
        Assert.That(run.Functional, Does.StartWith("ok"), run.Report);
        Assert.That(ReferenceChecker.IsValid(compiled.Program.Target.Machine, compiled.Schedule!, out var why), Is.True, why);
        return (compiled, run);
    }

    private static long ChannelBytes(CompileResult compiled, RunResult run, string channel)
    {
        var machine = compiled.Program!.Target.Machine;
        var c = machine.Channels.ToList().FindIndex(x => x.Name == channel);
        return Enumerable.Range(0, machine.Links.Count).Where(l => machine.Links[l].Route.Contains(c)).Sum(l => run.Replay.LinkBytes[l]);
    }

    [Test]
    public void A_ring_all_reduce_sends_two_times_three_quarters_of_the_tensor_over_each_hop_and_sums_exactly()
    {
        // 1,280 columns of int8 are 4 blocks of 320 B, one a chip: reduce-scatter sends 3 blocks round the ring, all-gather 3 more,
        // so each hop k => k+1 carries 6 × 320 = 1,920 B (= 2 × 3/4 × 1,280). x also goes from lpu[0] to the others: to lpu[1], and
        // through it to lpu[2] (over lpu[0] => lpu[1] and lpu[1] => lpu[2]); to lpu[3] over lpu[0] => lpu[3].
        var (compiled, run) = CompileAndRun(Program(Ring, d: 1280));
        Assert.That(compiled.Schedule!.Notes, Has.Some.Contains("allreduce of part over 4 chips (lpu[0], lpu[1], lpu[2], lpu[3]): ring"));
        Assert.That(ChannelBytes(compiled, run, "lpu[1]=>lpu[2]"), Is.EqualTo(1920 + 1280));
        Assert.That(ChannelBytes(compiled, run, "lpu[2]=>lpu[3]"), Is.EqualTo(1920));
        Assert.That(ChannelBytes(compiled, run, "lpu[3]=>lpu[0]"), Is.EqualTo(1920));
        Assert.That(ChannelBytes(compiled, run, "lpu[0]=>lpu[1]"), Is.EqualTo(1920 + 2 * 1280));
        // The final add on lpu[3] reads the copy of the sum on lpu[3] itself.
        var s = compiled.Schedule!;
        var add = s.Instructions.Where(i => i.Op == Opcode.Add && s.Tiles[i.Result].Tensor.StartsWith("z")).ToList();
        Assert.That(add, Has.Count.EqualTo(4));
        Assert.That(add.SelectMany(a => a.Operands).Select(t => s.Tiles[t].Memory).Distinct(), Is.EqualTo(new[] { "lpu[3].sram" }));
    }

    [Test]
    public void A_tensor_of_fewer_blocks_than_chips_is_summed_up_a_tree_and_sent_back_down()
    {
        // One block (320 B) on four chips: lpu[1]'s part is added on lpu[0] and lpu[3]'s on lpu[2], then lpu[2]'s sum on lpu[0] (two
        // hops round the ring); the sum goes back down the same tree: two rounds each way instead of three.
        var (compiled, run) = CompileAndRun(Program(Ring, d: 320));
        Assert.That(compiled.Schedule!.Notes, Has.Some.Contains(
            "allreduce of part over 4 chips (lpu[0], lpu[1], lpu[2], lpu[3]): tree, 2 rounds summing onto lpu[0] and as many sending"));
        var s = compiled.Schedule!;
        var adds = s.Instructions.Where(i => i.Op == Opcode.Add && s.Tiles[i.Result].Tensor.Contains("allreduce")).ToList();
        Assert.That(adds.Select(a => compiled.Program!.Target.Machine.Units[a.Unit].Pool).Order(),
            Is.EqualTo(new[] { "lpu[0]", "lpu[0]", "lpu[2]" }));
    }

    [Test]
    public void Without_one_hop_neighbours_a_sum_over_four_chips_goes_by_recursive_halving_and_doubling()
    {
        var (compiled, run) = CompileAndRun(Program("link lpu switch { bandwidth = 14 GB/s; }", d: 1280));
        Assert.That(compiled.Schedule!.Notes, Has.Some.Contains(
            "allreduce of part over 4 chips (lpu[0], lpu[1], lpu[2], lpu[3]): recursive halving and doubling, 2 rounds"));
        // Block j (320 B) ends on chip j. Halving: chip k takes its partner k ^ 1's running sums of the two blocks whose owner shares
        // its lowest bit (640 B), then k ^ 2's of its own block (320 B); doubling sends them back the other way (320 B, then 640 B):
        // 1,920 B down from the switch to each chip, the bytes of the ring. lpu[0] also sends x to the three others (3 × 1,280 B up).
        Assert.That(ChannelBytes(compiled, run, "lpu.switch=>lpu[0]"), Is.EqualTo(640 + 320 + 320 + 640));
        Assert.That(ChannelBytes(compiled, run, "lpu[0]=>lpu.switch"), Is.EqualTo(3 * 1280 + 640 + 320 + 320 + 640));
        // Three adds on each chip (two blocks, then one), each with the lower chip's running sum first, as the binomial tree adds:
        // the values are exact (functional mode) and the symbols the program's, which the interpreters know from lowering's choice.
        var s = compiled.Schedule!;
        var machine = compiled.Program!.Target.Machine;
        var adds = s.Instructions.Where(i => i.Op == Opcode.Add && s.Tiles[i.Result].Tensor.Contains("allreduce")).ToList();
        Assert.That(adds.GroupBy(a => machine.Units[a.Unit].Pool).Select(g => g.Count()), Is.EqualTo(new[] { 3, 3, 3, 3 }));
    }

    [Test]
    public void Without_one_hop_neighbours_an_all_gather_goes_direct_over_the_routes()
    {
        var (compiled, run) = CompileAndRun(Program("link lpu switch { bandwidth = 14 GB/s; }", d: 320, collective: "allgather"));
        Assert.That(compiled.Schedule!.Notes, Has.Some.Contains("allgather of part over 4 chips (lpu[0], lpu[1], lpu[2], lpu[3]): direct"));
        // Each chip's 320 B part goes straight to the three others: 960 B down to each chip, 960 B up (lpu[0] also sends x, 3 × 320 B).
        Assert.That(ChannelBytes(compiled, run, "lpu.switch=>lpu[1]"), Is.EqualTo(960 + 320));
        Assert.That(ChannelBytes(compiled, run, "lpu[1]=>lpu.switch"), Is.EqualTo(960));
    }

    [Test]
    public void A_ring_all_gather_passes_each_part_round_the_ring()
    {
        // Each chip's 1,280 B part crosses three hops; each hop carries three parts: 3 × 1,280 B.
        var (compiled, run) = CompileAndRun(Program(Ring, d: 1280, collective: "allgather"));
        Assert.That(compiled.Schedule!.Notes, Has.Some.Contains("allgather of part over 4 chips (lpu[0], lpu[1], lpu[2], lpu[3]): ring"));
        Assert.That(ChannelBytes(compiled, run, "lpu[2]=>lpu[3]"), Is.EqualTo(3 * 1280));
        Assert.That(compiled.Schedule.Outputs.Single().Cols, Is.EqualTo(4 * 1280));
    }

    [TestCase("let y = allreduce(x) on lpu;", "SCH1014", "x", "takes a stacked tensor")]
    [TestCase("let y = allreduce(w5) on lpu;", "SCH1005", "w5", "takes one part a chip, and lpu has 4 chips; w5 has 5 layers")]
    [TestCase("let y = allreduce(part) on lpu in lpu;", "SCH1016", "lpu;", "is on the chips of its group")]
    [TestCase("let y = allreduce(part, part) on lpu;", "SCH1013", "allreduce", "allreduce takes 1 argument")]
    public void A_mistake_in_a_collective_is_one_diagnostic_at_it(string statement, string code, string marked, string message)
    {
        var text = "target Net {\n    chip lpu[4] : groq.lpu;\n    " + Ring + "\n}\nprogram P on Net {\n"
            + "  input x : int8[1, 320] in lpu[0];\n  weight w5 : int8[5, 1, 320] in lpu;\n  cache part : int8[4, 1, 320] in lpu[*];\n"
            + $"  {statement}\n  output y;\n}}\n";
        var d = Compilation.Compile(SourceText.From(text, "c.sched")).Diagnostics.First();
        Assert.That(d.Code, Is.EqualTo(code), d.Render());
        Assert.That(d.Message, Does.Contain(message));
        Assert.That(text.Split('\n')[d.Location.Line - 1][(d.Location.Column - 1)..], Does.StartWith(marked));
    }

    [Test]
    public void A_part_made_on_the_wrong_chip_is_a_diagnostic_at_the_collective()
    {
        var text = Program(Ring, d: 1280).Replace("part[k] = matmul(x, w[k]) on lpu[k];", "part[k] = matmul(x, w[k]) on lpu[0];");
        var d = Compilation.Compile(SourceText.From(text, "tp.sched")).Diagnostics.Single();
        Assert.That(d.Message, Does.Contain("allreduce needs its parts on different chips, but part[0] and part[1] are both on lpu[0]"));
    }

    [TestCase(2560)]
    [TestCase(4096)]
    public void A_ring_all_reduce_on_eight_chips_takes_the_hand_derived_ring_time(int d)
    {
        // 2(n − 1)/n × bytes ÷ link bandwidth + 2(n − 1) × hop latency, n = 8, fp16, 14 GB/s, 1 µs a hop: the parts are resident,
        // so the whole schedule is the all-reduce.
        var text = "target Ring8 {\n  chip lpu[8] : groq.lpu;\n  link lpu ring { bandwidth = 14 GB/s; latency = 1 us; }\n}\n"
            + $"program P(d = {d}) on Ring8 {{\n  cache part : fp16[8, 1, d] in lpu[*];\n  let y = allreduce(part) on lpu;\n"
            + "  output y;\n}\n";
        var (compiled, run) = CompileAndRun(text);
        var seconds = compiled.Program!.Target.Machine.Seconds(run.Replay.Cycles);
        var hand = 2.0 * 7 / 8 * d * 2 / 14e9 + 2 * 7 * 1e-6;
        Assert.That(seconds, Is.EqualTo(hand).Within(5).Percent);
        // The report says how long the collective took: here the whole schedule.
        Assert.That(compiled.Schedule!.Notes, Has.Some.Contains($"; cycles 0–{run.Replay.Cycles} ("));
    }

    [Test]
    public void A_ring_step_moved_before_its_running_sum_arrives_is_caught()
    {
        var (compiled, _) = CompileAndRun(Program(Ring, d: 1280));
        var machine = compiled.Program!.Target.Machine;
        var s = compiled.Schedule!;
        // A load of a running sum onto the next chip of the ring, moved to before the store that wrote it.
        var sums = s.Instructions.Where(i => i.Op == Opcode.Store && s.Tiles[i.Result].Tensor.Contains("allreduce")).ToList();
        var store = sums.First();
        var load = s.Instructions.First(i => i.Op == Opcode.Load && i.Result == store.Result);
        var early = s.WithInstructions(s.Instructions.Select(i => ReferenceEquals(i, load) ? i with { Cycle = store.Cycle } : i)
            .OrderBy(i => i.Cycle).ToList());
        var violations = Verifier.Verify(machine, early);
        Assert.That(violations.Any(v => v.Kind == ViolationKind.DataNotReady), Is.True);
        Assert.That(ReferenceChecker.IsValid(machine, early, out _), Is.False);
    }

    [Test]
    public void No_mutation_of_a_collective_schedule_is_missed()
    {
        var (compiled, _) = CompileAndRun(Program(Ring, d: 1280));
        var machine = compiled.Program!.Target.Machine;
        var random = new Random(5);
        var detected = 0;
        for (var i = 0; i < 80; i++)
        {
            var (_, mutated, what) = FaultInjection.Mutator.Mutate(machine, compiled.Schedule!, random);
            var run = Host.Run(machine, mutated, []);
            if (run.Violations.Count > 0) { detected++; continue; }
            Assert.That(ReferenceChecker.IsValid(machine, mutated, out var reason), Is.True, $"missed: {what}: {reason}");
            Assert.That(run.Functional, Does.StartWith("ok"), what);
        }
        Assert.That(detected, Is.GreaterThan(40));
    }

    [Test]
    public void A_broadcast_and_a_reduce_scatter_go_round_the_ring_and_leave_the_sum_spread_over_the_chips()
    {
        // x' (1,280 B, four blocks) is made on lpu[1] and broadcast round the ring 1 → 2 → 3 → 0: 1,280 B over each of those hops.
        // The reduce-scatter sends three blocks over every hop k => k+1 (960 B) and leaves block j on lpu[(j + 3) mod 4]; the add on
        // lpu[3] then reads block 1 from lpu[0] (0 => 3), block 2 from lpu[1] (1 => 0 => 3) and block 3 from lpu[2] (2 => 3).
        const string text = """
            target Ring {
                chip lpu[4] : groq.lpu;
                link lpu ring { bandwidth = 14 GB/s; latency = 1 us; }
            }
            program P(d = 1280) on Ring {
                input  x    : int8[1, d] in lpu[1];
                weight w    : int8[4, d, d] in lpu[*];
                cache  part : int8[4, 1, d] in lpu[*];
                let xs = broadcast(add(x, x) on lpu[1]) on lpu;
                for k in 0 .. 4 { part[k] = matmul(xs, w[k]) on lpu[k]; }
                let y = reducescatter(part) on lpu;
                let z = add(y, y) on lpu[3];
                output z;
            }
            """;
        var (compiled, run) = CompileAndRun(text);
        Assert.That(compiled.Schedule!.Notes,
            Has.Some.StartsWith("broadcast of xs over 4 chips (lpu[0], lpu[1], lpu[2], lpu[3]): ring, 3 rounds, 4 blocks a part; cycles "));
        var bytes = new Dictionary<string, long>
        {
            ["lpu[1]=>lpu[2]"] = 1280 + 960, ["lpu[2]=>lpu[3]"] = 1280 + 960 + 320, ["lpu[3]=>lpu[0]"] = 1280 + 960,
            ["lpu[0]=>lpu[1]"] = 960, ["lpu[1]=>lpu[0]"] = 320, ["lpu[0]=>lpu[3]"] = 640,
        };
        foreach (var (channel, expected) in bytes) Assert.That(ChannelBytes(compiled, run, channel), Is.EqualTo(expected), channel);
        var s = compiled.Schedule;
        var sums = s.Instructions.Where(i => i.Op == Opcode.Store && s.Tiles[i.Result].Tensor.Contains("reducescatter")).ToList();
        Assert.That(sums.Select(i => s.Tiles[i.Result].Memory).Distinct().Count(), Is.EqualTo(4), "the sums end on every chip");
    }

    [Test]
    public void A_collective_runs_over_the_chips_its_parts_are_on()
    {
        // Eight chips in a ring; the parts are made on lpu[4] … lpu[7], so the all-reduce runs over those four (its ring closes
        // through lpu[7] => lpu[0] … => lpu[4], three hops, so it goes by recursive halving and doubling, whose partners lpu[4] and
        // lpu[6], lpu[5] and lpu[7] are two hops apart the short way) and nothing reaches lpu[1] … lpu[3].
        const string text = """
            target Ring8 {
                chip lpu[8] : groq.lpu;
                link lpu ring { bandwidth = 14 GB/s; latency = 1 us; }
            }
            program P(d = 1280) on Ring8 {
                input  x    : int8[1, d] in lpu[4];
                cache  part : int8[4, 1, d] in lpu[*];
                for k in 0 .. 4 { part[k] = add(x, x) on lpu[4 + k]; }
                let y = allreduce(part);
                output y;
            }
            """;
        var (compiled, run) = CompileAndRun(text);
        Assert.That(compiled.Schedule!.Notes,
            Has.Some.StartsWith("allreduce of part over 4 chips (lpu[4], lpu[5], lpu[6], lpu[7]): recursive halving and doubling"));
        Assert.That(ChannelBytes(compiled, run, "lpu[1]=>lpu[2]") + ChannelBytes(compiled, run, "lpu[2]=>lpu[1]"), Is.Zero);
    }
}
