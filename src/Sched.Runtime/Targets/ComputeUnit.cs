using Sched.Runtime.Targets.Kinds;

namespace Sched.Runtime.Targets;

public enum UnitKind { Matrix, Vector }

/// <summary>
/// One compute unit (one instance of a pool such as <c>mxu[2]</c>); its result exists <see cref="Latency"/> cycles
/// after an op ends. <see cref="DtypePeaks"/> holds FLOP a cycle per <see cref="DataType"/> (by enum value), 0 where
/// the unit's general peak applies. <see cref="Buffer"/> is its local buffer in bytes: a loaded tile holds space from its load's start
/// until the last op on the unit that reads it ends, a result from its op's start until its store ends (long.MaxValue: unbounded).
/// <see cref="ResultBytesPerCycle"/> bounds how fast an op's result leaves the unit for the next op's (a wafer's fabric spreading
/// it over the next op's cores): an op lasts at least its result's bytes ÷ it (0: no bound). <see cref="Launch"/> &gt; 0 makes the
/// unit run one operation (a kernel) at a time: every instruction of an operation on the unit starts at least that many cycles
/// after the last of the operation before it on the unit has ended (a GPU's launch and synchronisation gap).
/// </summary>
public sealed record ComputeUnit(string Name, string Pool, UnitKind Kind, double FlopsPerCycle, int Latency, double[]? DtypePeaks = null,
    long Buffer = long.MaxValue, double ResultBytesPerCycle = 0, int Launch = 0)
{
    /// <summary>The keywords that declare a pool of units, and the kind of work each is built for.</summary>
    public static IReadOnlyDictionary<string, UnitKind> Keywords { get; } =
        new Dictionary<string, UnitKind> { ["matrix"] = UnitKind.Matrix, ["vector"] = UnitKind.Vector };

    /// <summary>What `matrix|vector NAME[count] { … }` accepts; peak may be given per dtype (`peak = 750 TOPS @ int8`).</summary>
    public static IReadOnlyList<Property> Properties { get; } =
    [
        new("peak", PropertyUnit.FlopsPerSecond, "FLOP a second of one unit") { Required = true, AboveZero = true, PerDtype = true },
        new("latency", PropertyUnit.Cycles, "cycles from an op's end to its result") { Default = 0, Max = int.MaxValue },
        new("buffer", PropertyUnit.Bytes, "bytes of the unit's local buffer; tiles hold it from load to last use (omitted: unbounded)")
            { AboveZero = true },
        new("launch", PropertyUnit.Cycles, "cycles from one operation's end on the unit to the next's start: the unit runs one "
            + "operation (a kernel) at a time, in program order (omitted: operations overlap)") { Default = 0, Max = int.MaxValue },
        new("result_bandwidth", PropertyUnit.BytesPerSecond,
            "bytes a second an op's result leaves the unit at; an op lasts at least its result ÷ this (omitted: unbounded)")
            { AboveZero = true },
    ];

    public bool HasBuffer => Buffer < long.MaxValue;

    /// <summary>The resource it adds: the unit runs one op at a time.</summary>
    public Resource Resource => new(Name, 1, Verification.ViolationKind.UnitConflict);

    /// <summary>
    /// An op of <paramref name="flops"/> making <paramref name="resultBytes"/> occupies the unit for ceil(flops / peak-per-cycle)
    /// cycles, or ceil(result bytes / result bandwidth) if that is longer; at least one.
    /// </summary>
    public long ComputeCycles(double flops, DataType dtype = DataType.Fp32, long resultBytes = 0) =>
        Math.Max(Math.Max(1, Cycle.Ceiling(flops / PeakPerCycle(dtype))),
            ResultBytesPerCycle > 0 ? Cycle.Ceiling(resultBytes / ResultBytesPerCycle) : 0);

    public double PeakPerCycle(DataType dtype) =>
        DtypePeaks is { } peaks && (int)dtype < peaks.Length && peaks[(int)dtype] > 0 ? peaks[(int)dtype] : FlopsPerCycle;
}
