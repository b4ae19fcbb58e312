using Sched.Runtime;
using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>The verifier proves, symbolically and at any size, that the instructions compute the program.</summary>
public class DataflowTests
{
    /// <summary>The latest matmul that can: it reads another weight tile of the same shape, one already loaded to its unit.</summary>
    private static Schedule Retargeted(Schedule s)
    {
        var list = s.Instructions.ToList();
        for (var i = list.Count - 1; i >= 0; i--)
        {
            var ins = list[i];
            if (ins.Op != Opcode.Matmul) continue;
            var right = s.Tiles[ins.Operands[^1]];
            var other = list.Take(i).Where(x => x.Op == Opcode.Load && x.Unit == ins.Unit && x.Result != right.Id)
                .Select(x => s.Tiles[x.Result]).FirstOrDefault(t => t.Rows == right.Rows && t.Cols == right.Cols && t.Resident);
            if (other is null) continue;
            list[i] = ins with { Operands = [.. ins.Operands[..^1], other.Id] };
            return s.WithInstructions(list);
        }
        throw new InvalidOperationException("no matmul to retarget");
    }

    [TestCase("llama2-7b-h100.sched")]
    [TestCase("mlp.sched")]
    public void A_matmul_pointed_at_the_wrong_weight_tile_is_caught_without_numbers(string name)
    {
        var compiled = Examples.Compile(name, FunctionalMode.Off);
        var machine = compiled.Program!.Target.Machine;
        Assert.That(compiled.Schedule!.Outputs.All(o => o.Symbols is not null && o.Expected is null));
        var run = Host.Run(machine, Retargeted(compiled.Schedule), []);
        // On a bounded buffer (the H100's shared memory) the tile read instead also stays longer: that may overflow it too.
        Assert.That(run.Violations.Select(v => v.Kind).Where(k => k != ViolationKind.BufferOverflow),
            Is.EqualTo(new[] { ViolationKind.WrongDataflow }), run.Report);
        Assert.That(run.Violations.First(v => v.Kind == ViolationKind.WrongDataflow).Message,
            Does.Contain("does not hold what the program computes"));
    }

    [Test]
    public void An_output_stored_twice_is_caught_without_numbers()
    {
        var compiled = Examples.Compile("hello.sched", FunctionalMode.Off);
        var s = compiled.Schedule!;
        var store = s.Instructions.Last(x => x.Op == Opcode.Store);
        var twice = s.WithInstructions([.. s.Instructions, store.WithCycle(store.Cycle + 10)]);
        var v = Host.Run(compiled.Program!.Target.Machine, twice, []).Violations.Single();
        Assert.That((v.Kind, v.Message), Is.EqualTo((ViolationKind.WrittenTwice,
            $"store writes y#1.0 again; line {store.Source.Line} stored it at cycle {store.Cycle}")));
    }

    [Test]
    public void A_store_over_a_weight_is_caught()
    {
        var compiled = Examples.Compile("hello.sched", FunctionalMode.Off);
        var s = compiled.Schedule!;
        var store = s.Instructions.Last(x => x.Op == Opcode.Store);
        var weight = s.Tiles.First(t => t.Resident && t.Bytes == s.Tiles[store.Result].Bytes && t.Memory == s.Tiles[store.Result].Memory);
        var over = s.WithInstructions([.. s.Instructions, store with { Cycle = store.Cycle + 10, Operands = [weight.Id],
            Result = weight.Id }]);
        var kinds = Host.Run(compiled.Program!.Target.Machine, over, []).Violations.Select(v => v.Kind);
        Assert.That(kinds, Does.Contain(ViolationKind.WrittenTwice));
    }
}
