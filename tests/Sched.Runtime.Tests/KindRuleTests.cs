using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;
using Sched.Runtime.Targets.Kinds;
using Sched.Runtime.Verification;

namespace Sched.Runtime.Tests;

/// <summary>
/// Each kind's rules on a hand-built machine, independent of the compiler: two units v0 and v1 (1 FLOP a cycle), and
/// links of 8 B a cycle with 2 cycles' latency between the memory under test and each unit. Every figure is by hand.
/// </summary>
public class KindRuleTests
{
    private static Machine With(Memory memory) => new("M", 1e9, [memory],
        [new ComputeUnit("v0", "v", UnitKind.Vector, 1, 0), new ComputeUnit("v1", "v", UnitKind.Vector, 1, 0)],
        [new Link($"{memory.Name}->v0", memory.Name, "v0", 8, 2, 1), new Link($"{memory.Name}->v1", memory.Name, "v1", 8, 2, 1)]);

    private static Tile T(int id, string memory, long address, long bytes = 16) => new(id, $"t{id}", memory, address, bytes, 1, (int)bytes, true, $"t{id}", 0, 0);

    private static Instruction Load(long cycle, int unit, int tile, long bytes = 16) =>
        new(cycle, Opcode.Load, unit, unit, [tile], tile, bytes, 0, 0, 0, new SourceLine(1, 1));

    private static Instruction Read(long cycle, int tile, long bytes) => new(cycle, Opcode.Read, 0, -1, [tile], tile, bytes, 0, 0, 0, new SourceLine(1, 1));

    private static IReadOnlyList<Violation> Verify(Machine machine, Tile[] tiles, params Instruction[] ins)
    {
        var schedule = new Schedule("P", "p.sched", tiles, ins, [], 0, "", []);
        var violations = Verifier.Verify(machine, schedule);
        Assert.That(ReferenceChecker.IsValid(machine, schedule, out var why), Is.EqualTo(violations.Count == 0), why);
        return violations;
    }

    [Test]
    public void A_bank_serves_one_transfer_at_a_time()
    {
        // 1024 B in 2 banks of 512 B: t0 and t1 share bank 0, t2 is in bank 1.
        var machine = With(MemoryKinds.Create("sram", "s", 1e9, ("capacity", 1024), ("banks", 2)));
        Tile[] tiles = [T(0, "s", 0), T(1, "s", 64), T(2, "s", 512)];
        var v = Verify(machine, tiles, Load(0, 0, 0), Load(0, 1, 1)).Single();
        Assert.That((v.Kind, v.Where, v.Cycle), Is.EqualTo((ViolationKind.BankConflict, "s.bank[0]", 0L)));
        Assert.That(Verify(machine, tiles, Load(0, 0, 0), Load(0, 1, 2)), Is.Empty);
        Assert.That(Verify(machine, tiles, Load(0, 0, 0), Load(2, 1, 1)), Is.Empty, "16 B at 8 B a cycle hold the bank 2 cycles");
    }

    [Test]
    public void A_tile_across_two_banks_is_refused()
    {
        var machine = With(MemoryKinds.Create("sram", "s", 1e9, ("capacity", 1024), ("banks", 2)));
        var v = Verify(machine, [T(0, "s", 504)], Load(0, 0, 0)).Single();
        Assert.That((v.Kind, v.Message), Is.EqualTo((ViolationKind.BankConflict, "t0 at [504, 520) straddles regions 0 and 1 of s")));
    }

    // Flash: 16 B pages, tR 10 cycles, one channel of 8 B a cycle, two dies of 512 B each.
    private static Machine Flash(int channels = 1, int dies = 2) => With(MemoryKinds.Create("flash", "f", 1e9,
        ("capacity", 1024), ("page", 16), ("read", 10), ("rate", 8e9), ("channels", channels), ("dies", dies)));

    [Test]
    public void A_die_reads_one_tile_at_a_time_and_a_tile_leaves_only_after_its_pages_are_read()
    {
        Tile[] tiles = [T(0, "f", 0), T(1, "f", 16), T(2, "f", 512)];
        var busy = Verify(Flash(), tiles, Read(0, 0, 16), Read(5, 1, 16)).Single();
        Assert.That((busy.Kind, busy.Where), Is.EqualTo((ViolationKind.BankConflict, "f.die[0]")));
        Assert.That(Verify(Flash(), tiles, Read(0, 0, 16), Read(0, 2, 16)), Is.Empty, "two dies read at once");
        var early = Verify(Flash(), tiles, Read(0, 0, 16), Load(9, 0, 0)).Single();
        Assert.That((early.Kind, early.Message), Is.EqualTo((ViolationKind.DataNotReady, "load of t0 starts before its read ends (cycle 10)")));
        Assert.That(Verify(Flash(), tiles, Read(0, 0, 16), Load(10, 0, 0)), Is.Empty);
        Assert.That(Verify(Flash(), tiles, Load(10, 0, 0)).Single().Message, Does.Contain("without a read before it"));
    }

    [Test]
    public void A_channel_carries_one_transfer_at_a_time()
    {
        // Dies 0 and 1 share channel 0; with two channels of one die each, they do not.
        Tile[] tiles = [T(0, "f", 0), T(1, "f", 512)];
        var v = Verify(Flash(), tiles, Read(0, 0, 16), Read(0, 1, 16), Load(10, 0, 0), Load(10, 1, 1)).Single();
        Assert.That((v.Kind, v.Where), Is.EqualTo((ViolationKind.ChannelConflict, "f.channel[0]")));
        Assert.That(Verify(Flash(channels: 2, dies: 1), tiles, Read(0, 0, 16), Read(0, 1, 16), Load(10, 0, 0), Load(10, 1, 1)), Is.Empty);
    }

    [Test]
    public void One_channel_of_one_die_is_one_die()
    {
        var flash = (Flash)MemoryKinds.Create("flash", "f", 1e9, ("capacity", 1024), ("page", 16), ("read", 10), ("rate", 8e9));
        Assert.That((flash.Dies, flash.Regions, flash.Resources.Select(r => r.Name)), Is.EqualTo((1, 1, new[] { "die[0]", "channel[0]" })));
    }

    [Test]
    public void Transfers_to_and_from_a_burst_memory_move_whole_bursts()
    {
        // 16 B is one 64 B burst: 8 cycles at 8 B a cycle, not 2; it arrives 2 cycles later, at 10.
        var machine = With(MemoryKinds.Create("hbm", "h", 1e9, ("capacity", 1024), ("burst", 64)));
        Tile[] tiles = [T(0, "h", 0), new(1, "r", "h", 64, 16, 1, 16, false, "r", 0, 0)];
        Assert.That(machine.StepOf(Load(0, 0, 0), tiles)!.Value.Duration, Is.EqualTo(8));
        var add = new Instruction(9, Opcode.Add, 0, -1, [0, 0], 1, 0, 1, 0, 16, new SourceLine(2, 1));
        var v = Verify(machine, tiles, Load(0, 0, 0), add).First();
        Assert.That((v.Kind, v.Message), Is.EqualTo((ViolationKind.DataNotReady, "add reads t0 before it arrives (cycle 10)")));
    }

    [Test]
    public void A_fibre_loop_is_read_only_when_the_slot_passes_the_tap()
    {
        // Index 1 and 2.998 m: ceil(10.0 cycles) = a period of 10; 8 GB/s at 1 GHz = 8 B slots. Address 24 is slot 3.
        var loop = (Fiber)MemoryKinds.Create("fiber", "l", 1e9, ("length", 2.99792458), ("index", 1), ("rate", 8e9));
        Assert.That((loop.Period, loop.SlotBytes, loop.Capacity), Is.EqualTo((10L, 8L, 80L)));
        var machine = With(loop);
        Tile[] tiles = [T(0, "l", 24, 8)];
        Assert.That(Verify(machine, tiles, Load(13, 0, 0, 8)), Is.Empty);
        var v = Verify(machine, tiles, Load(14, 0, 0, 8)).Single();
        Assert.That((v.Kind, v.Message), Is.EqualTo((ViolationKind.OffPhase,
            "load reads t0 from l at phase 4, but its slot passes the tap at cycles ≡ 3 (mod 10)")));
    }

    [Test]
    public void A_pnm_device_is_reached_from_outside_only_over_declared_links()
    {
        // The device brings its unit p.pu and the internal links; a host unit has none, so a load over an internal link to it is malformed.
        var parts = MemoryKinds.Declare("pnm", "p", 1e9, [("capacity", 1024), ("internal", 64e9), ("peak", 1e9)]);
        var machine = new Machine("M", 1e9, parts.Memories, [.. parts.Units, new ComputeUnit("host", "host", UnitKind.Vector, 1, 0)], parts.Links);
        Assert.That(parts.Links.Select(l => l.Name), Is.EqualTo(new[] { "p->p.pu", "p.pu->p" }));
        Tile[] tiles = [T(0, "p", 0)];
        Assert.That(Verify(machine, tiles, Load(0, 0, 0)), Is.Empty, "inside: 16 B at 64 B a cycle");
        var v = Verify(machine, tiles, Load(0, 1, 0) with { Link = 0 }).Single();
        Assert.That((v.Kind, v.Message), Is.EqualTo((ViolationKind.MalformedInstruction, "loads t0 over p->p.pu, which does not run from p to host")));
    }
}
