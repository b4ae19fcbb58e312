namespace Sched.Runtime.Targets.Library;

/// <summary>Groq's LPU (GroqChip 1 / TSP): all weights in on-chip SRAM, statically scheduled.</summary>
public static class Groq
{
    private const double Clock = 900e6;                       // Abts et al., ISCA 2020
    private const double Sram = 220.0 * 1024 * 1024;          // 220 MiB ≈ 230 MB, Abts et al., ISCA 2022
    private const double SramBandwidth = 80e12;               // 80 TB/s, Groq via TechPowerUp (2024) ⚠
    private const double PeakFp16 = 188e12;                   // 188 TFLOP/s fp16, same ⚠
    private const double PeakInt8 = 750e12;                   // 750 TOPS int8, same ⚠

    public static Preset Lpu { get; } = new(
        "groq.lpu",
        "Groq LPU (GroqChip 1): 220 MiB of on-chip SRAM feeding a 320×320 matrix unit at 900 MHz",
        [new Tier("sram", "sram", Sram, SramBandwidth, 0)],
        PeakFp16,
        [
            new("clock", "900 MHz nominal", "Abts et al., \"Think Fast: A Tensor Streaming Processor\", ISCA 2020"),
            new("SRAM per chip", "220 MiB (≈230 MB)", "Abts et al., \"A Software-defined Tensor Streaming Multiprocessor\", ISCA 2022"),
            new("on-die SRAM bandwidth", "80 TB/s", "Groq marketing via TechPowerUp (2024) ⚠ secondary"),
            new("peak compute", "750 TOPS int8, 188 TFLOP/s fp16", "Groq marketing via TechPowerUp (2024) ⚠ secondary"),
            new("chip-to-chip", "16 links, ≈14 GB/s per link per direction", "Linley Group, \"Groq Gets Connected\" (2020)"),
        ],
        ["the SRAM is one memory with one port at the full 80 TB/s (slices and superlanes are not modelled)",
         "one matrix unit with the chip's whole fp16 peak; tiles of 320 columns (the MXM width ⚠)",
         "SRAM and unit latencies are 1 cycle: no sourced figure",
         "the matrix unit's buffer is left unbounded: it computes on streams read from the SRAM the data lives in (no staging "
         + "memory of its own is published), so the 220 MiB capacity bounds everything"],
        Catalogue.Simple("groq.lpu", Clock, "sram", "sram", Sram, SramBandwidth, 1, "mxm", PeakFp16, 1,
            (DataType.Int8, PeakInt8), (DataType.Fp16, PeakFp16), (DataType.Bf16, PeakFp16)),
        320, null)
    {
        Overheads = [new Overhead("chip-to-chip hop latency", "1.4 µs a hop (declare it on the link: latency = 1.4 us)",
            "⚠ assumption, calibrated so that Llama-2-70B decodes at Groq's published 300 tokens/s (examples/groq-llama2-70b.sched); "
            + "ISCA 2022 gives < 3 µs end to end over up to 10,440 chips")],
    };
}
