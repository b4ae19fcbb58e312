using System.CommandLine;
using System.Diagnostics;
using Sched.Compiler;
using Sched.Language.Text;

namespace Sched.Cli.Commands;

/// <summary>
/// <c>sched bench chips --chips 576 --layers 80</c>: a pipeline of <c>layers</c> 8192² int8 matmuls (Llama-2-70B-sized) spread over
/// that many Groq LPUs joined in a torus (as square as the count allows), compiled, scheduled, replayed and verified: how the
/// compiler and verifier grow with the chips of a target.
/// </summary>
internal static class ChipsBench
{
    public static Command Create()
    {
        var chips = new Option<int>("--chips") { Description = "LPUs in the torus", DefaultValueFactory = _ => 576 };
        var layers = new Option<int>("--layers")
            { Description = "8192 × 8192 int8 layers in the pipeline", DefaultValueFactory = _ => 80 };
        var command = new Command("chips", "Compile, schedule and verify a layer pipeline on a torus of many chips") { chips, layers };
        command.SetAction(result =>
        {
            var (n, l) = (result.GetValue(chips), result.GetValue(layers));
            if (n < 4 || l < 1)
            {
                Console.Error.WriteLine("sched: error SCH2005: --chips must be at least 4 and --layers at least 1");
                return ExitCodes.InputDiagnostics;
            }
            var text = Program(n, l);
            var clock = Stopwatch.StartNew();
            var compiled = Compilation.Compile(SourceText.From(text, "chips.sched"));
            var compile = clock.Elapsed.TotalSeconds;
            if (compiled.Schedule is null)
            {
                foreach (var d in compiled.Diagnostics) Console.Error.WriteLine(d.Render());
                return ExitCodes.InputDiagnostics;
            }
            clock.Restart();
            var run = Sched.Compiler.Emit.InProcess.Run(compiled);
            var verify = clock.Elapsed.TotalSeconds;
            var machine = compiled.Program!.Target.Machine;
            var peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1e6;
            var ratio = (double)run.Replay.Cycles / Math.Max(1, run.Bound);
            Console.WriteLine(FormattableString.Invariant(
                $"chips: {n}  links: {machine.Links.Count}  channels: {machine.Channels.Count}  instructions: ")
                + FormattableString.Invariant($"{compiled.Schedule.Instructions.Count}  compile and schedule: {compile:F2} s  ")
                + FormattableString.Invariant($"replay and verify: {verify:F2} s  peak memory: {peak:F0} MB  makespan/bound: {ratio:F3}  ")
                + (run.Violations.Count == 0 ? "verified" : $"FAILED: {run.Violations[0].Message}"));
            return run.Violations.Count == 0 ? ExitCodes.Ok : ExitCodes.VerificationFailed;
        });
        return command;
    }

    /// <summary>The program: a torus X × Y with X the largest divisor of the count not above its square root.</summary>
    private static string Program(int chips, int layers)
    {
        var x = Enumerable.Range(1, (int)Math.Sqrt(chips)).Last(d => chips % d == 0);
        var shape = x > 1 ? $"torus({x}, {chips / x})" : "ring";
        return $$"""
            target Pod {
                chip lpu[{{chips}}] : groq.lpu;
                link lpu {{shape}} { bandwidth = 14 GB/s; latency = 1 us; }
            }
            program Pipeline(d = 8192, layers = {{layers}}) on Pod {
                input  x : int8[1, d] in lpu[0];
                weight w : int8[layers, d, d] in lpu;
                let h = x;
                for l in 0 .. layers { h = matmul(h, w[l]); }
                output h;
            }
            """;
    }
}
