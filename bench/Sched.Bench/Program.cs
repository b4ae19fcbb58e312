using System.Diagnostics;
using System.Globalization;
using Sched.Compiler;
using Sched.Compiler.Scheduling;
using Sched.Compiler.Scheduling.Generation;
using Sched.Language.Text;
using Sched.Runtime.Verification;

// The hot paths, timed: schedule generation and verification at growing sizes, and the whole compiler plus
// the runtime verifier on a large program. Run: dotnet run -c Release --project bench/Sched.Bench [max-ops]
// The fuzzer: dotnet run -c Release --project bench/Sched.Bench fuzz [cases] [seed]
// Models: dotnet run -c Release --project bench/Sched.Bench models   (the Llama examples and a 70B-shaped decode step, timed)
if (args.Length > 0 && args[0] == "models") return Sched.Bench.Models.Run();
if (args.Length > 0 && args[0] == "fuzz")
    return Fuzz(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000, args.Length > 2 ? int.Parse(args[2],
        CultureInfo.InvariantCulture) : 1);
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
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{n,-10} {generate,7:F2} s {schedule,7:F2} s {verify,6:F2} s  " +
        $"{solution.Ratio:F3}{(broken is null ? "" : "  BROKEN: " + broken)}"));
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
    $"compile big.sched: {compiled.Schedule!.Instructions.Count} instructions in {compile:F2} s; runtime verifier " +
        $"{timer.Elapsed.TotalSeconds:F2} s, {violations.Count} violations"));
return 0;

static int Fuzz(int cases, int seed)
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SchedDsl.sln"))) dir = dir.Parent;
    var examples = Directory.GetFiles(Path.Combine(dir!.FullName, "examples"), "*.sched").Order().Select(File.ReadAllText).ToList();
    var random = new Random(seed);
    var counts = new Dictionary<Sched.Bench.Fuzzer.Verdict, int>();
    var clock = Stopwatch.StartNew();
    var slowest = 0.0;
    var all = Sched.Bench.FuzzSources.Named().Select(n => (n.Name, n.Text))
        .Concat(Enumerable.Range(0, Math.Max(0, cases - Sched.Bench.FuzzSources.Named().Count())).Select(i => ($"random #{i}",
            Sched.Bench.FuzzSources.Random(random, examples))));
    var n = 0;
    foreach (var (name, text) in all)
    {
        var one = Stopwatch.StartNew();
        var (verdict, detail) = Sched.Bench.Fuzzer.Run(text, TimeSpan.FromSeconds(20), emit: n % 25 == 0);
        slowest = Math.Max(slowest, one.Elapsed.TotalSeconds);
        counts[verdict] = counts.GetValueOrDefault(verdict) + 1;
        if (verdict is Sched.Bench.Fuzzer.Verdict.Crashed or Sched.Bench.Fuzzer.Verdict.Hung)
        {
            // Keep the input so the failure can be replayed with `sched run`.
            Directory.CreateDirectory("out/fuzz");
            var saved = Path.Combine("out/fuzz", $"case-{seed}-{n}.sched");
            File.WriteAllText(saved, text);
            Console.WriteLine($"{verdict}: {name}: {detail} (input saved as {saved})");
        }
        n++;
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"cases: {n}  accepted: {counts.GetValueOrDefault(Sched.Bench.Fuzzer.Verdict.Accepted)}  diagnosed: " +
            $"{counts.GetValueOrDefault(Sched.Bench.Fuzzer.Verdict.Diagnosed)}  crashes: " +
            $"{counts.GetValueOrDefault(Sched.Bench.Fuzzer.Verdict.Crashed)}  hangs: " +
            $"{counts.GetValueOrDefault(Sched.Bench.Fuzzer.Verdict.Hung)}  time: {clock.Elapsed.TotalSeconds:F0} s  slowest case: " +
            $"{slowest:F1} s"));
    return counts.GetValueOrDefault(Sched.Bench.Fuzzer.Verdict.Crashed) + counts.GetValueOrDefault(Sched.Bench.Fuzzer.Verdict.Hung) == 0
        ? 0 : 1;
}
