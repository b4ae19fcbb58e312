using Sched.Language.Text;
using Sched.Runtime;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets.Kinds;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>DRAM stacked on logic: tiles spread over vaults, a vault serves one transfer at a time at its own bandwidth.</summary>
public class StackedTests
{
    [Test]
    public void The_example_streams_at_sixteen_vaults_and_matches_its_hand_count()
    {
        var compiled = Examples.Compile("stacked.sched", FunctionalMode.On);
        var machine = compiled.Program!.Target.Machine;
        var cube = machine.Memories.OfType<Stacked>().Single();
        Assert.That((cube.Vaults, cube.RegionBytes, cube.BytesPerSecond), Is.EqualTo((16, 250_000_000L, 160e9)));
        var weights = compiled.Schedule!.Tiles.Where(t => t.Memory == "hmc").ToList();
        Assert.That(weights.Select(t => cube.Region(t.Address)).Distinct().Count(), Is.EqualTo(16), "one weight tile a vault");
        var run = Emit.InProcess.Run(compiled);
        Assert.That((run.Violations.Count, run.Replay.Cycles), Is.EqualTo((0, 53_351L)), run.Report);
        Assert.That(ReferenceChecker.IsValid(machine, compiled.Schedule, out var why), Is.True, why);
    }

    [Test]
    public void One_vault_serves_one_transfer_at_a_time()
    {
        var compiled = Examples.Compile("stacked.sched");
        var (machine, s) = (compiled.Program!.Target.Machine, compiled.Schedule!);
        var cube = machine.Memories.OfType<Stacked>().Single();
        // Put weight tile 1 in tile 0's vault (just above it): both loads start at once on different lanes.
        var tiles = s.Tiles.Where(t => t.Memory == "hmc").OrderBy(t => t.Address).ToList();
        var moved = s.WithTiles(s.Tiles.Select(t => t.Id == tiles[1].Id ? t.WithAddress(tiles[0].Address + tiles[0].Bytes) : t).ToList());
        var v = Verifier.Verify(machine, moved).First(x => x.Kind == ViolationKind.BankConflict);
        Assert.That(v.Where, Is.EqualTo($"hmc.vault[{cube.Region(tiles[0].Address)}]"));
        Assert.That(ReferenceChecker.IsValid(machine, moved, out _), Is.False);
    }

    [Test]
    public void A_single_vault_is_sixteen_times_slower()
    {
        var source = SourceText.From(File.ReadAllText(Path.Combine(Examples.Folder, "stacked.sched"))
            .Replace("vaults = 16;", "vaults = 1;").Replace("assert cycles == 53351;", ""), "one.sched");
        var compiled = Compilation.Compile(source);
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        // 16 tiles one after another through one vault: 16 × 52,429 = 838,864 cycles before the last arrives.
        Assert.That(Emit.InProcess.Run(compiled).Replay.Cycles, Is.GreaterThan(16 * 52_429L));
    }
}
