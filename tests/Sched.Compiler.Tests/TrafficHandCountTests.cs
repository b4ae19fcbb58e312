namespace Sched.Compiler.Tests;

/// <summary>The HBM bytes a whole decode step reads, against a count by hand: weights once, the KV cache, and activations.</summary>
public class TrafficHandCountTests
{
    [Test]
    public void Batch_1024_reads_weights_once_plus_kv_plus_each_activation_once()
    {
        const long batch = 1024, context = 32, d = 4096, ffn = 11008, layers = 32, vocab = 32000, fp16 = 2;
        var compiled = Examples.Compile("llama2-7b-h100.sched", FunctionalMode.Off,
            new() { ["batch"] = $"{batch}", ["context"] = $"{context}" });
        var run = Emit.InProcess.Run(compiled);
        var machine = compiled.Program!.Target.Machine;
        var read = run.Replay.MemoryBytesRead[machine.MemoryIndex("hbm")];

        var weights = (layers * (4 * d * d + 3 * d * ffn + 2 * d) + d + d * vocab) * fp16;
        var kv = layers * 2 * batch * context * d * fp16;
        // Each intermediate is stored and read back once (operands stay in the unit's buffer while reused: nvidia.h100's 80.8 MB
        // evicts weights no later step reads first). A layer reads 12 [batch, d] tensors (h, n, q and rope(q), k and rope(k), v,
        // attention, o, h', m, down) and 4 [batch, ffn] (gate, silu, up, mul).
        var activations = layers * (12 * batch * d + 4 * batch * ffn) * fp16 + 2 * batch * d * fp16;
        Assert.That((double)read, Is.EqualTo((double)(weights + kv + activations)).Within(5).Percent, run.Report);
        Assert.That((double)read, Is.EqualTo((double)(weights + kv + activations)).Within(0.5).Percent,
            "the count is meant to be exact up to rounding");
    }
}
