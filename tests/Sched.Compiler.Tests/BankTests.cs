using Sched.Language.Text;
using Sched.Runtime;
using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>Banked SRAM: each tile inside one bank, each bank serving one transfer at a time.</summary>
public class BankTests
{
    private const string Source = """
        target Banked {
            clock 1 GHz;
            tile 64;
            sram   s { capacity = 256 KiB; latency = 2 cycles; banks = 4; }
            matrix mxu[2] { peak = 1 TFLOP/s; latency = 4 cycles; }
            link   s <-> mxu { bandwidth = 64 GB/s; latency = 2 cycles; lanes = 2; }
        }
        program P(d = 256) on Banked {
            input  x : int8[2, d] in s;
            weight w : int8[d, d] in s;
            let y = matmul(x, w) on mxu;
            output y;
        }
        """;

    private static CompileResult Compile()
    {
        var compiled = Compilation.Compile(SourceText.From(Source, "banked.sched"), new CompileOptions(Functional: FunctionalMode.On));
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        return compiled;
    }

    [Test]
    public void Tiles_stay_in_one_bank_and_banks_never_serve_two_transfers_at_once()
    {
        var compiled = Compile();
        var machine = compiled.Program!.Target.Machine;
        var memory = machine.Memories[0];
        var s = compiled.Schedule!;
        foreach (var t in s.Tiles)
            Assert.That(memory.Region(t.Address + t.Bytes - 1), Is.EqualTo(memory.Region(t.Address)), t.Name);
        Assert.That(s.Tiles.Select(t => memory.Region(t.Address)).Distinct().Count(), Is.EqualTo(4), "tiles are spread over the banks");
        var run = Host.Run(machine, s, []);
        Assert.That(run.Violations, Is.Empty, run.Report);
        Assert.That(run.Functional, Does.StartWith("ok"));
        Assert.That(ReferenceChecker.IsValid(machine, s, out var why), Is.True, why);
    }

    [Test]
    public void Two_transfers_on_one_bank_at_once_are_a_bank_conflict()
    {
        var compiled = Compile();
        var machine = compiled.Program!.Target.Machine;
        var memory = machine.Memories[0];
        var s = compiled.Schedule!;
        var loads = s.Instructions.Select((ins, i) => (ins, i)).Where(x => x.ins.Op == Opcode.Load).ToList();
        // Two loads of different tiles in the same bank, on different units (so neither a lane nor a unit clashes).
        var (a, b) = loads.SelectMany(x => loads.Select(y => (x, y)))
            .First(p => p.x.i != p.y.i && p.x.ins.Unit != p.y.ins.Unit && p.x.ins.Result != p.y.ins.Result
                && memory.Region(s.Tiles[p.x.ins.Result].Address) == memory.Region(s.Tiles[p.y.ins.Result].Address));
        var mutated = s.WithInstructions(s.Instructions.Select((ins, i) => i == b.i ? ins.WithCycle(a.ins.Cycle) : ins).ToList());
        var conflict = Verifier.Verify(machine, mutated).First(v => v.Kind == ViolationKind.BankConflict);
        Assert.That(conflict.Cycle, Is.EqualTo(a.ins.Cycle));
        Assert.That(conflict.Where, Is.EqualTo($"s.bank[{memory.Region(s.Tiles[a.ins.Result].Address)}]"));
        Assert.That(ReferenceChecker.IsValid(machine, mutated, out _), Is.False);
    }
}
