using Sched.Runtime.Execution;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;
using Sched.Runtime.Targets.Kinds;
using Sched.Runtime.Verification;

namespace Sched.Runtime.Tests;

/// <summary>A hand-built machine and schedule, independent of the compiler: load a and b, add, store c.</summary>
public class VerifierTests
{
    // 1 GHz; 8 B per cycle links with 2 cycles latency; a 1 FLOP/cycle vector unit with latency 1; sram latency 1.
    private static Machine Machine(long capacity = 1024, int lanes = 1) => new("M", 1e9,
        [MemoryKinds.Create("sram", "s", 1e9, ("capacity", capacity), ("latency", 1))],
        [new ComputeUnit("v", "v", UnitKind.Vector, 1, 1)],
        [new Link("s->v", "s", "v", 8, 2, lanes), new Link("v->s", "v", "s", 8, 2, lanes)]);

    private static readonly Tile[] Tiles =
    [
        new(0, "a", "s", 0, 16, 1, 16, true, "a", 0, 0),
        new(1, "b", "s", 16, 16, 1, 16, true, "b", 0, 0),
        new(2, "c", "s", 32, 16, 1, 16, false, "c", 0, 0),
    ];

    // load a 0..2 (arrives 4), load b 2..4 (arrives 6), add 6..22 (ready 23), store 23..25 (readable 25+2+1 = 28).
    private static Schedule Valid() => new("P", "p.sched", Tiles,
    [
        new Instruction(0, Opcode.Load, 0, 0, [0], 0, 16, 0, 0, 0, new SourceLine(3, 5)),
        new Instruction(2, Opcode.Load, 0, 0, [1], 1, 16, 0, 0, 0, new SourceLine(3, 5)),
        new Instruction(6, Opcode.Add, 0, -1, [0, 1], 2, 0, 1, 0, 16, new SourceLine(3, 9)),
        new Instruction(23, Opcode.Store, 0, 1, [2], 2, 16, 0, 0, 0, new SourceLine(3, 9)),
    ], [new OutputTensor("c", 1, 16, [2], null)], 28, "critical path", []);

    private static Schedule With(Schedule s, int index, Func<Instruction, Instruction> change) =>
        s.WithInstructions(s.Instructions.Select((ins, i) => i == index ? change(ins) : ins).ToList());

    [Test]
    public void A_valid_schedule_verifies_and_replays_to_its_hand_count()
    {
        Assert.That(Verifier.Verify(Machine(), Valid()), Is.Empty);
        Assert.That(Executor.Run(Machine(), Valid(), functional: false).Cycles, Is.EqualTo(28));
    }

    [Test]
    public void The_bound_sees_both_loads_on_the_one_lane_before_the_add()
    {
        // The chain alone: one load 0..2, arrives 4, add 4..20, ready 21, store 21..23, readable 26. Both loads share the lane, so
        // the later one ends at 4 at the earliest and the 22 cycles of work after a load follow it: 4 + 2 + 16 + 1 + 2 + 3 = 28.
        var check = Verifier.Check(Machine(), Valid());
        // The add reads both loads, so its head already counts the lane's two loads: the unit v reaches 28 as well, and first.
        Assert.That((check.Bound, check.BoundKind), Is.EqualTo((28L, "load of v between the work before and after it")));
        Assert.That(Verifier.Check(Machine(lanes: 2), Valid()).Bound, Is.EqualTo(26));
    }

    [Test]
    public void Compute_before_its_operand_arrives_is_caught()
    {
        var v = Verifier.Verify(Machine(), With(Valid(), 2, i => i.WithCycle(5))).Single();
        Assert.That((v.Kind, v.Cycle, v.Where, v.Source.Line), Is.EqualTo((ViolationKind.DataNotReady, 5L, "v", 3)));
        Assert.That(v.Message, Does.Contain("before it arrives (cycle 6)"));
    }

    [Test]
    public void Load_of_a_tile_no_one_wrote_is_caught()
    {
        var s = Valid();
        s = s.WithInstructions([.. s.Instructions, new Instruction(24, Opcode.Load, 0, 0, [2], 2, 16, 0, 0, 0, new SourceLine(4, 1))]);
        var v = Verifier.Verify(Machine(), s);
        Assert.That(v.Select(x => x.Kind), Does.Contain(ViolationKind.DataNotReady));
    }

    [Test]
    public void Two_transfers_on_a_one_lane_link_are_caught_and_two_lanes_allow_them()
    {
        var overlapped = With(Valid(), 1, i => i.WithCycle(1));
        var v = Verifier.Verify(Machine(), overlapped).Single();
        Assert.That((v.Kind, v.Cycle, v.Where), Is.EqualTo((ViolationKind.LaneConflict, 1L, "s->v")));
        Assert.That(Verifier.Verify(Machine(lanes: 2), overlapped), Is.Empty);
    }

    [Test]
    public void Two_ops_on_one_unit_at_once_are_caught()
    {
        var s = Valid();
        s = s.WithInstructions([.. s.Instructions, s.Instructions[2] with { Cycle = 10, Source = new SourceLine(7, 2) }]);
        var v = Verifier.Verify(Machine(), s).Single();
        Assert.That((v.Kind, v.Cycle, v.Where, v.Source.Line), Is.EqualTo((ViolationKind.UnitConflict, 10L, "v", 7)));
    }

    [Test]
    public void Memory_over_capacity_and_overlapping_addresses_are_caught()
    {
        var small = Verifier.Verify(Machine(capacity: 40), Valid()).Single();
        Assert.That((small.Kind, small.Where), Is.EqualTo((ViolationKind.OverCapacity, "s")));
        var overlapping = Valid().WithTiles([Tiles[0], Tiles[1], Tiles[2].WithAddress(20)]);
        var v = Verifier.Verify(Machine(), overlapping).Single();
        Assert.That((v.Kind, v.Cycle), Is.EqualTo((ViolationKind.OverlappingAddresses, 23L)));
    }

    [Test]
    public void A_byte_count_that_differs_from_the_tile_is_caught()
    {
        var v = Verifier.Verify(Machine(), With(Valid(), 0, i => i with { Bytes = 8 })).First();
        Assert.That(v.Kind, Is.EqualTo(ViolationKind.MalformedInstruction));
    }

    [Test]
    public void An_output_tile_that_says_it_starts_elsewhere_is_caught()
    {
        // The executor places an output tile by its column offset; the verifier holds the offsets to the tiles' order.
        var moved = Valid() with { Tiles = [Tiles[0], Tiles[1], Tiles[2] with { ColumnOffset = 16 }] };
        var v = Verifier.Verify(Machine(), moved).Single();
        Assert.That((v.Kind, v.Message), Is.EqualTo((ViolationKind.WrongDataflow,
            "output c's tile c says it starts at column 16, but the tiles before it end at column 0")));
    }

    [Test]
    public void Functional_replay_computes_real_values()
    {
        var replay = Executor.Run(Machine(), Valid(), functional: true);
        var c = replay.Outputs!["c"];
        for (var i = 0; i < 16; i++)
            Assert.That(c[i], Is.EqualTo(InitialValues.Value("a", 0, 0, i) + InitialValues.Value("b", 0, 0, i)));
    }

    [Test]
    public void The_binary_form_round_trips()
    {
        var s = Valid();
        var back = ScheduleFormat.Read(ScheduleFormat.Write(s));
        Assert.That(ScheduleFormat.Write(back), Is.EqualTo(ScheduleFormat.Write(s)));
        Assert.That(back.Instructions.Select(i => (i.Cycle, i.Op, i.Source)),
            Is.EqualTo(s.Instructions.Select(i => (i.Cycle, i.Op, i.Source))));
    }

    [Test]
    public void A_failed_contract_fails_the_run()
    {
        var contract = new Contract("cycles <= 20", new SourceLine(9, 5), m => m.Cycles, Comparison.LessOrEqual, _ => 20);
        var result = Host.Run(Machine(), Valid(), [contract]);
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Violations.Single().Kind, Is.EqualTo(ViolationKind.ContractFailed));
        Assert.That(result.Report, Does.Contain("measured 28, promised 20"));
    }
}
