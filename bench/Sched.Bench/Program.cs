using System.Diagnostics;
using System.Globalization;
using Sched.Compiler;
using Sched.Compiler.Scheduling;
using Sched.Compiler.Scheduling.Generation;
using Sched.Language.Text;
using Sched.Runtime.Verification;

// The hot paths, timed: schedule generation and verification at growing sizes, and the whole compiler plus
// the runtime verifier on a large program. Run: dotnet run -c Release --project bench/Sched.Bench [max-ops]
var max = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
Console.WriteLine("ops        generate  schedule  verify   makespan/bound");
for (var n = 10_000; n <= max; n *= 10)
{
    var clock = Stopwatch.StartNew();
    var problem = DecodeStepProblem.Generate(n);
    var generate = clock.Elapsed.TotalSeconds;
    clock.Restart();
    var solution = Solver.Solve(problem, new SolverOptions(Passes: 0, TimeLimitMs: int.MaxValue)).Solution!;
    var schedule = clock.Elapsed.TotalSeconds;
    clock.Restart();
    var broken = problem.Verify(solution.Starts);
    var verify = clock.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{n,-10} {generate,7:F2} s {schedule,7:F2} s {verify,6:F2} s  {solution.Ratio:F3}{(broken is null ? "" : "  BROKEN: " + broken)}"));
}

// The compiler end to end on a program of many tiles, then the runtime's independent verifier on its schedule.
var source = """
    target T {
        clock 1 GHz;
        tile 32;
        sram mem { capacity = 4 GB; latency = 2 cycles; }
        matrix mxu[8] { peak = 8 TFLOP/s; latency = 8 cycles; }
        vector vpu[2] { peak = 1 TFLOP/s; latency = 2 cycles; }
        link mem <-> mxu { bandwidth = 512 GB/s; latency = 4 cycles; lanes = 2; }
        link mem <-> vpu { bandwidth = 256 GB/s; latency = 4 cycles; }
    }
    program Big(d = 2048, layers = 8) on T {
        input x : bf16[4, d] in mem;
        weight w : bf16[layers, d, d] in mem;
        let h = x;
        for l in 0 .. layers { h = silu(matmul(h, w[l]) on mxu); }
        output h;
    }
    """;
var timer = Stopwatch.StartNew();
var compiled = Compilation.Compile(SourceText.From(source, "big.sched"), new CompileOptions(Functional: FunctionalMode.Off));
var compile = timer.Elapsed.TotalSeconds;
timer.Restart();
var violations = Verifier.Verify(compiled.Program!.Target.Machine, compiled.Schedule!);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"compile big.sched: {compiled.Schedule!.Instructions.Count} instructions in {compile:F2} s; runtime verifier {timer.Elapsed.TotalSeconds:F2} s, {violations.Count} violations"));
