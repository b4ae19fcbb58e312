using Sched.Runtime.Targets.Kinds;

namespace Sched.Runtime.Targets.Library;

/// <summary>All presets of the target library, by name.</summary>
public static class Catalogue
{
    public static IReadOnlyList<Preset> All { get; } =
    [
        Groq.Lpu, Cerebras.Wse3, Cerebras.Wse3Measured, Nvidia.H100, Nvidia.H100Measured, Nvidia.H200, Host.Ddr5, Flash.NvmeGen5,
            Flash.Hbf, Fiber.Carmack, Pim.HbmPim, Pim.Aim,
            Upmem.Server, Hmc.Cube, Cxl.CmmD,
    ];

    public static Preset? Find(string name) => All.FirstOrDefault(p => p.Name == name);

    /// <summary>A machine with one memory, one compute pool and a link between them at the memory's bandwidth.</summary>
    internal static Machine Simple(string name, double clockHz, string memory, string kind, double capacity, double bandwidth,
        int memoryLatencyCycles, string unit, double peakFlops, int unitLatencyCycles, params (DataType Dtype,
            double Flops)[] dtypePeaks) =>
        new(name, clockHz,
            [MemoryKinds.Create(kind, memory, clockHz, ("capacity", capacity), ("bandwidth", bandwidth), ("latency", memoryLatencyCycles))],
            [new ComputeUnit(unit, unit, UnitKind.Matrix, peakFlops / clockHz, unitLatencyCycles,
                dtypePeaks.Length == 0 ? null : Enum.GetValues<DataType>().Select(t => dtypePeaks.Where(p => p.Dtype == t).Select(p =>
                    p.Flops / clockHz).FirstOrDefault()).ToArray())],
            [new Link($"{memory}->{unit}", memory, unit, bandwidth / clockHz, 0, 1), new Link($"{unit}->{memory}", unit, memory,
                bandwidth / clockHz, 0, 1)]);
}
