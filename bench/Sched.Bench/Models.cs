using System.Diagnostics;
using System.Globalization;
using Sched.Compiler;
using Sched.Language.Text;

namespace Sched.Bench;

/// <summary>
/// Whole models through the compiler and the verifier: wall time and peak memory of each (goals: 7B ≤ 10 s, 70B ≤ 60 s, 4 GB;
/// 70B over hundreds of chips ≤ 120 s, 8 GB).
/// </summary>
public static class Models
{
    // Llama-2-70B shapes (HARDWARE.md): hidden 8192, 80 layers, 64 query heads over 8 KV heads of 128, FFN 28672, vocab 32000;
    // fp8 so the 69 GB of weights and the 0.67 GB KV cache at context 4096 fit one H100's 80 GB.
    private const string Llama70b = """
        program Llama70bDecode(batch = 1, context = 4096, d = 8192, kv = 1024, ffn = 28672, vocab = 32000, layers = 80) on nvidia.h100 {
            input  x      : fp8[batch, d] in hbm;
            weight norm1  : fp8[layers, 1, d] in hbm;
            weight norm2  : fp8[layers, 1, d] in hbm;
            weight wq     : fp8[layers, d, d] in hbm;
            weight wk     : fp8[layers, d, kv] in hbm;
            weight wv     : fp8[layers, d, kv] in hbm;
            weight wo     : fp8[layers, d, d] in hbm;
            weight wg     : fp8[layers, d, ffn] in hbm;
            weight wu     : fp8[layers, d, ffn] in hbm;
            weight wd     : fp8[layers, ffn, d] in hbm;
            weight norm   : fp8[d] in hbm;
            weight head   : fp8[d, vocab] in hbm;
            cache  kcache : fp8[layers, batch * context, kv] in hbm;
            cache  vcache : fp8[layers, batch * context, kv] in hbm;
            let h = x;
            for l in 0 .. layers {
                let n = rmsnorm(h, norm1[l]);
                let q = rope(matmul(n, wq[l]), position = context);
                let k = rope(matmul(n, wk[l]), position = context) in hbm;
                let v = matmul(n, wv[l]) in hbm;
                h = add(h, matmul(attention(q, k, v, kcache[l], vcache[l]), wo[l]));
                let m = rmsnorm(h, norm2[l]);
                h = add(h, matmul(mul(silu(matmul(m, wg[l])), matmul(m, wu[l])), wd[l]));
            }
            let logits = matmul(rmsnorm(h, norm), head);
            output logits;
        }
        """;

    public static int Run()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SchedDsl.sln"))) dir = dir.Parent;
        var examples = Path.Combine(dir!.FullName, "examples");
        var failed = 0;
        foreach (var (name, text) in new[]
        {
            ("llama2-7b-h100.sched", File.ReadAllText(Path.Combine(examples, "llama2-7b-h100.sched"))),
            ("llama2-7b-serve.sched", File.ReadAllText(Path.Combine(examples, "llama2-7b-serve.sched"))),
            ("llama2-7b-generate.sched", File.ReadAllText(Path.Combine(examples, "llama2-7b-generate.sched"))),
            ("deepseek-v3-moe.sched", File.ReadAllText(Path.Combine(examples, "deepseek-v3-moe.sched"))),
            ("kv-tiering.sched", File.ReadAllText(Path.Combine(examples, "kv-tiering.sched"))),
            ("llama-70b-shaped (fp8, one H100)", Llama70b),
            ("h100-llama2-7b-measured.sched", File.ReadAllText(Path.Combine(examples, "h100-llama2-7b-measured.sched"))),
            ("cerebras-llama3-8b.sched", File.ReadAllText(Path.Combine(examples, "cerebras-llama3-8b.sched"))),
            // Llama-2-70B with attention on 640 LPUs and Llama-2-7B on 256 of them (issue 11's scale goal: ≤ 120 s, ≤ 8 GB).
            ("groq-llama2-70b.sched", File.ReadAllText(Path.Combine(examples, "groq-llama2-70b.sched"))),
        })
        {
            var clock = Stopwatch.StartNew();
            var compiled = Compilation.Compile(SourceText.From(text, name), new CompileOptions(Functional: FunctionalMode.Off));
            var compile = clock.Elapsed.TotalSeconds;
            if (compiled.Schedule is null)
            {
                Console.WriteLine($"{name}: {string.Join("; ", compiled.Diagnostics.Select(d => d.Render()))}");
                failed++;
                continue;
            }
            clock.Restart();
            var run = Compiler.Emit.InProcess.Run(compiled);
            var verify = clock.Elapsed.TotalSeconds;
            var peak = Process.GetCurrentProcess().PeakWorkingSet64 / 1e9;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-34} {compiled.Schedule.Instructions.Count,8} instructions  compile+schedule {compile,6:F2} s  emit+run+verify " +
                    $"{verify,6:F2} s  " +
                $"{run.Replay.Cycles / compiled.Program!.Target.Machine.ClockHz * 1e3,8:F3} ms  {(run.Passed ? "verified" : "FAILED")}  " +
                    $"peak {peak:F2} GB"));
            if (!run.Passed) failed++;
        }
        return failed == 0 ? 0 : 1;
    }
}
