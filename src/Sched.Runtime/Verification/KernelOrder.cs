using Sched.Runtime.Execution;
using Sched.Runtime.Operations;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Runtime.Verification;

/// <summary>
/// A unit with a launch gap runs one operation (a kernel) at a time: every instruction of an operation on it starts at least the
/// gap after the last instruction of the operation before it there has ended (SCH3017). An operation is known by the tensor of
/// the tile its computes make and its stores move; a load belongs to the first compute on its unit that reads its tile. The
/// kernels in order also chain the verifier's bound, each after the one before it and the gap.
/// </summary>
internal sealed class KernelOrder
{
    private sealed class Kernel(int unit, string tensor)
    {
        public int Unit { get; } = unit;
        public string Tensor { get; } = tensor;
        public Instruction? First { get; private set; }
        public long Start { get; private set; } = long.MaxValue;
        public long End { get; private set; }
        public int Previous { get; set; } = -1;

        public void Extend(Instruction ins, long end)
        {
            if (ins.Cycle < Start) (Start, First) = (ins.Cycle, ins);
            End = Math.Max(End, end);
        }
    }

    private readonly List<Kernel> _kernels = [];
    private readonly Dictionary<Instruction, int> _kernelOf = new(ReferenceEqualityComparer.Instance);
    private readonly Machine _machine;

    public KernelOrder(Machine machine, Schedule schedule)
    {
        _machine = machine;
        if (!machine.Units.Any(u => u.Launch > 0)) return;
        var tiles = schedule.Tiles;
        var pending = new Dictionary<(int Unit, int Tile), List<(Instruction Ins, long End)>>();
        var byTensor = new Dictionary<(int Unit, string Tensor), int>();
        int Of(Instruction ins)
        {
            var key = (ins.Unit, tiles[ins.Result].Tensor);
            if (byTensor.TryGetValue(key, out var k)) return k;
            _kernels.Add(new Kernel(ins.Unit, key.Tensor));
            return byTensor[key] = _kernels.Count - 1;
        }
        void Add(int kernel, Instruction ins, long end)
        {
            _kernels[kernel].Extend(ins, end);
            _kernelOf[ins] = kernel;
        }
        foreach (var ins in Timeline.InCycleOrder(schedule.Instructions))
        {
            if (ins.Unit < 0 || ins.Unit >= machine.Units.Count || machine.Units[ins.Unit].Launch == 0) continue;
            if (ins.Result < 0 || ins.Result >= tiles.Count || machine.StepOf(ins, tiles) is not { } step) continue;   // malformed
            var end = ins.Cycle + step.Duration + step.After;
            if (ins.Op.IsCompute())
            {
                var kernel = Of(ins);
                Add(kernel, ins, end);
                foreach (var t in ins.Operands)
                    if (pending.Remove((ins.Unit, t), out var loads))
                        foreach (var (load, loaded) in loads) Add(kernel, load, loaded);
            }
            else if (ins.Op == Opcode.Store) Add(Of(ins), ins, end);
            else (pending.TryGetValue((ins.Unit, ins.Result), out var list) ? list : pending[(ins.Unit, ins.Result)] = []).Add((ins, end));
        }
        foreach (var unit in _kernels.Select(k => k.Unit).Distinct())
        {
            var order = Enumerable.Range(0, _kernels.Count).Where(k => _kernels[k].Unit == unit)
                .OrderBy(k => _kernels[k].Start).ThenBy(k => _kernels[k].End).ToList();
            for (var i = 1; i < order.Count; i++) _kernels[order[i]].Previous = order[i - 1];
        }
    }

    public int Count => _kernels.Count;

    /// <summary>The kernel an instruction belongs to, or -1 (not on a unit with a launch gap).</summary>
    public int Of(Instruction ins) => _kernelOf.TryGetValue(ins, out var k) ? k : -1;

    /// <summary>The kernel run before <paramref name="kernel"/> on its unit (-1 for the first), and the gap between them.</summary>
    public (int Kernel, int Gap) Before(int kernel) => (_kernels[kernel].Previous, _machine.Units[_kernels[kernel].Unit].Launch);

    public void Check(Action<ViolationKind, long, string, string, SourceLine> report)
    {
        foreach (var b in _kernels.Where(k => k.Previous >= 0).OrderBy(k => k.Unit).ThenBy(k => k.Start))
        {
            var (a, unit) = (_kernels[b.Previous], _machine.Units[b.Unit]);
            if (b.Start < a.End + unit.Launch)
                report(ViolationKind.KernelOverlap, b.Start, unit.Name, $"{b.Tensor} starts at cycle {b.Start}, but {a.Tensor} ends at "
                    + $"cycle {a.End} and {unit.Name} runs one operation at a time, {unit.Launch} cycles apart", b.First!.Source);
        }
    }
}
