using Sched.Runtime.Operations;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;
using Sched.Runtime.Targets.Kinds;

namespace Sched.Runtime.Verification;

/// <summary>
/// The verifier's own bookkeeping while it replays instructions in cycle order: when each tile is readable in memory
/// and in each unit's buffer, what holds each resource, and (for the bound) the earliest each could be so.
/// </summary>
internal sealed class VerifierPass
{
    private const int MaxViolations = 50;
    private readonly Machine _machine;
    private readonly Schedule _schedule;
    private readonly IReadOnlyList<Tile> _tiles;
    private readonly long[] _memoryReady, _memoryEarliest;
    private readonly Dictionary<(int Unit, int Tile), (long Ready, long Earliest, ulong Symbol)> _buffer = [];
    private readonly ulong[] _memorySymbol;      // what each tile in memory holds, as a formula of the inputs
    private readonly Dictionary<ulong, (ulong Whole, int From, int Rows)> _windows = [];   // a view's load: rows of what
    private readonly Dictionary<ulong, int> _wholeRows = [];     // the rows of what a view was loaded from
    private readonly Dictionary<int, List<(int RowOffset, int Rows, ulong Symbol, long Readable, long Reachable)>> _pieces = [];
    private readonly Instruction?[] _writer;
    private readonly Dictionary<(int Tile, Opcode Step), (long Done, long Earliest)> _stepDone = [];
    private readonly PriorityQueue<(Instruction Ins, int Amount), long>?[] _holders;
    private readonly int[] _inUse;   // units of each resource held at the cycle being checked
    private readonly long[] _resourceLoad;
    private long _criticalPath;
    private readonly Chains _chains = new();
    private int _step;   // the replay's number of the instruction being checked, for the chains
    private readonly IReadOnlyList<PhaseLines> _phases;
    private readonly List<int>[] _phaseSteps;                 // each phase's steps, for the gate after it
    private readonly long[] _phaseStart, _phaseEnd;           // each phase's first start and last end (after its latency)
    private readonly (int Step, Instruction First)?[] _gates; // the gate each phase waits at, made when its first step comes

    private readonly KernelOrder _kernels;
    private readonly List<int>?[] _kernelSteps;                // each kernel's steps, for the gate of the kernel after it
    private readonly int[] _kernelGates;                       // the gate each kernel waits at (its gap long), once made

    public VerifierPass(Machine machine, Schedule schedule, IReadOnlyList<PhaseLines> phases, KernelOrder kernels)
    {
        (_machine, _schedule, _tiles, _phases, _kernels) = (machine, schedule, schedule.Tiles, phases, kernels);
        (_kernelSteps, _kernelGates) = (new List<int>?[kernels.Count], new int[kernels.Count]);
        Array.Fill(_kernelGates, -1);
        _phaseSteps = phases.Select(_ => new List<int>()).ToArray();
        (_phaseStart, _phaseEnd, _gates) = (new long[phases.Count], new long[phases.Count], new (int, Instruction)?[phases.Count]);
        Array.Fill(_phaseStart, long.MaxValue);
        _memoryReady = new long[_tiles.Count];
        _memoryEarliest = new long[_tiles.Count];
        Array.Fill(_memoryReady, -1);
        _memorySymbol = new ulong[_tiles.Count];
        _writer = new Instruction?[_tiles.Count];
        foreach (var tile in _tiles)
            if (tile.Resident) (_memoryReady[tile.Id], _memorySymbol[tile.Id]) = (0, Symbol.Resident(tile));
        // Made when first held: a target of hundreds of chips has millions of resources, and a schedule holds few of them.
        _holders = new PriorityQueue<(Instruction, int), long>?[machine.Resources.Count];
        _inUse = new int[machine.Resources.Count];
        _resourceLoad = new long[machine.Resources.Count];
        LastRead = new long[_tiles.Count];
        FirstWrite = new long[_tiles.Count];
        Array.Fill(FirstWrite, long.MaxValue);
        FirstWriter = new Instruction?[_tiles.Count];
    }

    public List<Violation> Violations { get; } = [];
    public long[] LastRead { get; }
    public long[] FirstWrite { get; }
    public Instruction?[] FirstWriter { get; }
    public long Makespan { get; private set; }

    public void Report(ViolationKind kind, long cycle, string where, string message, SourceLine source)
    {
        if (Violations.Count < MaxViolations) Violations.Add(new Violation(kind, cycle, where, message, source));
    }

    public void Check(Instruction ins)
    {
        if (Malformed.Problem(_machine, _schedule, ins, out var step) is { } problem)
        {
            Report(ViolationKind.MalformedInstruction, ins.Cycle, Malformed.Where(_machine, ins), problem, ins.Source);
            return;
        }
        var end = ins.Cycle + step.Duration;
        var phase = PhaseOf(ins.Source.Line);
        var gate = Gate(phase, ins);
        var kernel = _kernels.Of(ins);
        var kernelGate = KernelGate(kernel);
        _step = _chains.Add(step.Duration, step.After);
        if (gate >= 0) _chains.Feed(_step, gate);
        if (kernelGate >= 0) _chains.Feed(_step, kernelGate);
        if (kernel >= 0) (_kernelSteps[kernel] ??= []).Add(_step);
        Hold(ins, step, end);
        long earliest;
        if (ins.Op.IsCompute()) earliest = Compute(ins, step, end);
        else if (ins.Op == Opcode.Store) earliest = Store(ins, step, end);
        else earliest = Fetch(ins, step, end);
        Makespan = Math.Max(Makespan, end + step.After);
        _criticalPath = Math.Max(_criticalPath, earliest + step.Duration + step.After);
        _chains.SetHead(_step, earliest);
        if (phase < 0) return;
        _phaseSteps[phase].Add(_step);
        (_phaseStart[phase], _phaseEnd[phase]) = (Math.Min(_phaseStart[phase], ins.Cycle), Math.Max(_phaseEnd[phase], end + step.After));
    }

    /// <summary>
    /// The gate a step of phase p waits at, fed by every step of the phase before, so the bound sees the phases one after another;
    /// made (before the step, as providers come first) when the phase's first step comes. -1 outside phases and in the first.
    /// </summary>
    private int Gate(int p, Instruction ins)
    {
        if (p < 1) return -1;
        if (_gates[p] is { } made) return made.Step;
        var gate = NewGate(_phaseSteps[p - 1], 0);
        _gates[p] = (gate, ins);
        return gate;
    }

    /// <summary>The gate a kernel's steps wait at: as long as its unit's launch gap, fed by every step of the kernel before.</summary>
    private int KernelGate(int kernel)
    {
        if (kernel < 0) return -1;
        if (_kernelGates[kernel] >= 0) return _kernelGates[kernel];
        var (before, gap) = _kernels.Before(kernel);
        if (before < 0) return -1;
        return _kernelGates[kernel] = NewGate(_kernelSteps[before] ?? [], gap);
    }

    /// <summary>A step <paramref name="gap"/> long, holding nothing, fed by every step of a group: the next group waits at it.</summary>
    private int NewGate(List<int> before, long gap)
    {
        var gate = _chains.Add(gap, 0);
        foreach (var s in before) _chains.Feed(gate, s);
        return gate;
    }

    private int PhaseOf(int line)
    {
        for (var p = 0; p < _phases.Count; p++)
            if (line >= _phases[p].FirstLine && line <= _phases[p].LastLine) return p;
        return -1;
    }

    /// <summary>Each phase starts once every instruction of the phase before it has ended (its result arrived).</summary>
    public void CheckPhases()
    {
        for (var p = 1; p < _phases.Count; p++)
            if (_gates[p] is var (_, first) && _phaseEnd[p - 1] > _phaseStart[p])
                Report(ViolationKind.PhaseOverlap, _phaseStart[p], $"phase {_phases[p].Name}",
                    $"phase {_phases[p].Name} starts at cycle {_phaseStart[p]}, before phase {_phases[p - 1].Name} ends at cycle "
                    + $"{_phaseEnd[p - 1]}: a phase runs after the one before it", first.Source);
    }

    /// <summary>A compute step reads its operands from its unit's buffer and leaves its result there.</summary>
    private long Compute(Instruction ins, Step step, long end)
    {
        var earliest = 0L;
        var symbols = new ulong[ins.Operands.Length];
        for (var i = 0; i < symbols.Length; i++)
        {
            earliest = Math.Max(earliest, Buffered(ins, _tiles[ins.Operands[i]]));
            symbols[i] = _buffer.TryGetValue((ins.Unit, ins.Operands[i]), out var b) ? b.Symbol : 0;
        }
        var symbol = OperationCatalogue.Of(ins.Op).Identity && symbols.Length == 1 ? symbols[0]
            : Symbol.Computed(ins.Op, ins.M, ins.K, ins.N, ins.Args, ins.Dtype, symbols);
        Arrive(ins.Unit, ins.Result, end + step.After, earliest + step.Duration + step.After, symbol);
        return earliest;
    }

    /// <summary>A step of a load (a flash read, then the transfer): the tile must be in memory and the step before it done.</summary>
    private long Fetch(Instruction ins, Step step, long end)
    {
        var tile = _tiles[ins.Result];
        var memory = _machine.Memories[_machine.MemoryIndex(tile.Memory)];
        var where = ins.Op.IsTransfer() ? _machine.Links[ins.Link].Name : $"{memory.Name}";
        var earliest = InMemory(ins, tile, where);
        var order = IndexOf(memory.LoadSteps, ins.Op);
        if (order > 0) earliest = Math.Max(earliest, AfterStep(ins, tile, memory.LoadSteps[order - 1], where));
        if (step.HasWindow && ins.Cycle % step.Period != step.Phase)
            Report(ViolationKind.OffPhase, ins.Cycle, where, $"{ins.Op.Mnemonic()} reads {tile.Name} from {memory.Name} at phase " +
                $"{ins.Cycle % step.Period}, but its slot passes the tap at cycles ≡ {step.Phase} (mod {step.Period})", ins.Source);
        _chains.Provide(_step, Chains.Place.Step, tile.Id, (int)ins.Op);
        var done = _stepDone.TryGetValue((tile.Id, ins.Op), out var d) ? d : (Done: long.MaxValue, Earliest: long.MaxValue);
        _stepDone[(tile.Id, ins.Op)] = (Math.Min(done.Done, end), Math.Min(done.Earliest, earliest + step.Duration));
        if (ins.Op == Opcode.Load)
        {
            CheckRegion(ins, memory, tile);
            var held = _memorySymbol[tile.Storage];
            if (tile.IsView)
            {
                _wholeRows.TryAdd(held, _tiles[tile.Parent].Rows);
                held = Window(held, tile.RowOffset, tile.Rows);
            }
            Arrive(ins.Unit, tile.Id, end + step.After, earliest + step.Duration + step.After, held);
            LastRead[tile.Storage] = Math.Max(LastRead[tile.Storage], end);
        }
        return earliest;
    }

    /// <summary>A store sends a tile from its unit's buffer to memory, where it is readable the step's After later.</summary>
    private long Store(Instruction ins, Step step, long end)
    {
        var tile = _tiles[ins.Result];
        var earliest = Buffered(ins, tile);
        CheckRegion(ins, _machine.Memories[_machine.MemoryIndex(tile.Memory)], tile);
        WriteOnce(ins, tile);
        _chains.Provide(_step, Chains.Place.Memory, tile.Id, 0);
        _memorySymbol[tile.Id] = _buffer.TryGetValue((ins.Unit, tile.Id), out var held) ? held.Symbol : 0;
        var readable = end + step.After;
        _memoryReady[tile.Id] = _memoryReady[tile.Id] < 0 ? readable : Math.Min(_memoryReady[tile.Id], readable);
        var reachable = earliest + step.Duration + step.After;
        _memoryEarliest[tile.Id] = _memoryEarliest[tile.Id] == 0 ? reachable : Math.Min(_memoryEarliest[tile.Id], reachable);
        if (ins.Cycle < FirstWrite[tile.Id]) { FirstWrite[tile.Id] = ins.Cycle; FirstWriter[tile.Id] = ins; }
        if (tile.IsView) Piece(ins, tile, readable, reachable);
        return earliest;
    }

    private long InMemory(Instruction ins, Tile view, string where)
    {
        var tile = _tiles[view.Storage];   // a view is readable where and when its parent is
        var ready = _memoryReady[tile.Id];
        if (!tile.Resident) _chains.Read(_step, Chains.Place.Memory, tile.Id, 0);
        if (ready < 0)
            Report(ViolationKind.DataNotReady, ins.Cycle, where,
                $"{ins.Op.Mnemonic()} reads {tile.Name} from {tile.Memory} before any store has written it", ins.Source);
        else if (ready > ins.Cycle)
            Report(ViolationKind.DataNotReady, ins.Cycle, where,
                $"{ins.Op.Mnemonic()} reads {tile.Name} from {tile.Memory} before it is readable there (cycle {ready})", ins.Source);
        return tile.Resident ? 0 : _memoryEarliest[tile.Id];
    }

    private long AfterStep(Instruction ins, Tile tile, Opcode before, string where)
    {
        _chains.Read(_step, Chains.Place.Step, tile.Id, (int)before);
        if (!_stepDone.TryGetValue((tile.Id, before), out var done))
        {
            Report(ViolationKind.DataNotReady, ins.Cycle, where,
                $"{ins.Op.Mnemonic()} of {tile.Name} from {tile.Memory} without a {before.Mnemonic()} before it", ins.Source);
            return 0;
        }
        if (done.Done > ins.Cycle)
            Report(ViolationKind.DataNotReady, ins.Cycle, where,
                $"{ins.Op.Mnemonic()} of {tile.Name} starts before its {before.Mnemonic()} ends (cycle {done.Done})", ins.Source);
        return done.Earliest;
    }

    private long Buffered(Instruction ins, Tile tile)
    {
        var unit = _machine.Units[ins.Unit].Name;
        _chains.Read(_step, Chains.Place.Buffer, ins.Unit, tile.Id);
        if (!_buffer.TryGetValue((ins.Unit, tile.Id), out var at))
        {
            Report(ViolationKind.DataNotReady, ins.Cycle, unit,
                $"{ins.Op.Mnemonic()} reads {tile.Name}, which was never brought to {unit}", ins.Source);
            return 0;
        }
        if (at.Ready > ins.Cycle)
            Report(ViolationKind.DataNotReady, ins.Cycle, unit,
                $"{ins.Op.Mnemonic()} reads {tile.Name} before it arrives (cycle {at.Ready})", ins.Source);
        return at.Earliest;
    }

    /// <summary>A tile arrives in a unit's buffer; it holds the symbol of the latest arrival (replay order).</summary>
    private void Arrive(int unit, int tile, long ready, long earliest, ulong symbol)
    {
        _chains.Provide(_step, Chains.Place.Buffer, unit, tile);
        var old = _buffer.TryGetValue((unit, tile), out var b) ? b : (Ready: long.MaxValue, Earliest: long.MaxValue, Symbol: 0UL);
        _buffer[(unit, tile)] = (Math.Min(old.Ready, ready), Math.Min(old.Earliest, earliest), symbol);
    }

    /// <summary>
    /// A store of rows of a tile: the tile is readable once stores of pieces that cover its rows exactly, in order, have all arrived;
    /// it then holds the pieces' symbols in row order, or, when they are windows of one tile in order (a copy made rows apart), that
    /// tile's symbol.
    /// </summary>
    private void Piece(Instruction ins, Tile view, long readable, long reachable)
    {
        var parent = _tiles[view.Parent];
        var piece = (view.RowOffset, view.Rows, _memorySymbol[view.Id], Readable: readable, Reachable: reachable);
        if (ins.Cycle < FirstWrite[parent.Id]) { FirstWrite[parent.Id] = ins.Cycle; FirstWriter[parent.Id] = ins; }
        var pieces = _pieces.TryGetValue(parent.Id, out var list) ? list : _pieces[parent.Id] = [];
        pieces.Add(piece);
        if (pieces.Sum(p => (long)p.Rows) != parent.Rows) return;
        pieces.Sort((a, b) => a.RowOffset.CompareTo(b.RowOffset));
        if (pieces.Where((p, i) => p.RowOffset != (i == 0 ? 0 : pieces[i - 1].RowOffset + pieces[i - 1].Rows)).Any()) return;
        WriteOnce(ins, parent);
        _chains.Provide(_step, Chains.Place.Memory, parent.Id, 0);
        var windows = pieces.Select(p => _windows.GetValueOrDefault(p.Symbol)).ToList();
        var (whole, from) = (windows[0].Whole, windows[0].From);
        _memorySymbol[parent.Id] = windows.All(w => w.Rows > 0 && w.Whole == whole)
            && windows.Select((w, i) => w.From == from + pieces[i].RowOffset && w.Rows == pieces[i].Rows).All(ok => ok)
            ? Window(whole, from, parent.Rows) : Symbol.Rows(pieces.Select(p => p.Symbol));
        (_memoryReady[parent.Id], _memoryEarliest[parent.Id]) = (pieces.Max(p => p.Readable), pieces.Max(p => p.Reachable));
    }

    /// <summary>Rows of what a tile holds, as a formula: rows of rows are rows of the first value, and all of its rows are it (as the
    /// program's symbolic evaluation writes them).</summary>
    private ulong Window(ulong whole, int from, int rows)
    {
        if (_windows.TryGetValue(whole, out var inner)) (whole, from) = (inner.Whole, inner.From + from);
        if (from == 0 && _wholeRows.GetValueOrDefault(whole) == rows) return whole;
        var window = Symbol.Window(whole, from, rows);
        _windows[window] = (whole, from, rows);
        return window;
    }

    /// <summary>Each computed tile is stored once; an input or weight is never overwritten.</summary>
    private void WriteOnce(Instruction ins, Tile tile)
    {
        if (tile.Resident)
            Report(ViolationKind.WrittenTwice, ins.Cycle, tile.Memory, $"store overwrites {tile.Name}, an input or weight", ins.Source);
        else if (_writer[tile.Id] is { } first)
            Report(ViolationKind.WrittenTwice, ins.Cycle, tile.Memory,
                $"store writes {tile.Name} again; line {first.Source.Line} stored it at cycle {first.Cycle}", ins.Source);
        _writer[tile.Id] ??= ins;
    }

    /// <summary>A tile must lie inside one region (bank, die, vault) of a memory that has several.</summary>
    private void CheckRegion(Instruction ins, Memory memory, Tile tile)
    {
        var (first, last) = (memory.Region(tile.Address), memory.Region(tile.Address + Math.Max(1, tile.Bytes) - 1));
        if (first != last)
            Report(ViolationKind.BankConflict, ins.Cycle, memory.Name,
                $"{tile.Name} at [{tile.Address}, {tile.Address + tile.Bytes}) straddles regions {first} and {last} of {memory.Name}",
                    ins.Source);
    }

    /// <summary>Each resource serves at most its capacity at once: report an overlap, then remember this holder.</summary>
    private void Hold(Instruction ins, Step step, long end)
    {
        foreach (var (r, amount) in _machine.Holds(ins, step, _tiles)) Hold(ins, step, end, r, amount);
    }

    private void Hold(Instruction ins, Step step, long end, int r, int amount)
    {
        var resource = _machine.Resources[r];
        var holders = _holders[r] ??= new PriorityQueue<(Instruction Ins, int Amount), long>();
        while (holders.TryPeek(out var held, out var until) && until <= ins.Cycle)
        {
            holders.Dequeue();
            _inUse[r] -= held.Amount;
        }
        if (_inUse[r] + amount > resource.Capacity) ReportConflict(ins, resource, amount, resource.Capacity - _inUse[r], holders);
        holders.Enqueue((ins, amount), end);
        _inUse[r] += amount;
        _resourceLoad[r] += step.Duration * amount;
        _chains.Hold(_step, r, amount);
    }

    private void ReportConflict(Instruction ins, Resource resource, int amount, int free,
        PriorityQueue<(Instruction Ins, int Amount), long> holders)
    {
        holders.TryPeek(out var held, out var until);
        var other = held.Ins;
        var what = _tiles[ins.Result].Name;
        var message = resource.Conflict switch
        {
            ViolationKind.UnitConflict => $"{ins.Op.Mnemonic()} issued while {other!.Op.Mnemonic()} from line {other.Source.Line} " +
                $"(cycle {other.Cycle}) holds the unit until cycle {until}",
            ViolationKind.LaneConflict when resource.Slices > 1 => $"{ins.Op.Mnemonic()} of {what} ({ins.Bytes} B) needs {amount} of a "
                + $"lane's {resource.Slices} slices, but only {free} of {resource.Capacity} are free until cycle {until}",
            ViolationKind.LaneConflict =>
                $"{ins.Op.Mnemonic()} of {what} ({ins.Bytes} B) needs a lane, but all {resource.Lanes} are busy until cycle {until}",
            _ => $"{ins.Op.Mnemonic()} of {what} while {other!.Op.Mnemonic()} of {_tiles[other.Result].Name} (line {other.Source.Line}) " +
                $"holds {resource.Name} until cycle {until}",
        };
        Report(resource.Conflict, ins.Cycle, resource.Name, message, ins.Source);
    }

    private static int IndexOf(IReadOnlyList<Opcode> steps, Opcode op)
    {
        for (var i = 0; i < steps.Count; i++)
            if (steps[i] == op) return i;
        return -1;
    }

    /// <summary>Every output tile is stored, and (when the program's symbols are given) holds what the program computes.</summary>
    public void CheckOutputs()
    {
        foreach (var output in _schedule.Outputs)
        {
            if (output.Symbols is { } symbols && symbols.Length != output.Tiles.Length)
                Report(ViolationKind.WrongDataflow, Makespan, output.Name,
                    $"output {output.Name} has {output.Tiles.Length} tiles; the program makes {symbols.Length}", default);
            var column = 0;
            for (var k = 0; k < output.Tiles.Length; k++)
            {
                var id = output.Tiles[k];
                if (id < 0 || id >= _tiles.Count) continue;
                // An output is its tiles side by side: each must say it starts where the ones before it end.
                if (_tiles[id].ColumnOffset != column)
                    Report(ViolationKind.WrongDataflow, Makespan, output.Name, $"output {output.Name}'s tile {_tiles[id].Name} says it "
                        + $"starts at column {_tiles[id].ColumnOffset}, but the tiles before it end at column {column}", _tiles[id].Origin);
                column += _tiles[id].Cols;
                if (_memoryReady[id] < 0)
                    Report(ViolationKind.DataNotReady, Makespan, _tiles[id].Memory,
                        $"output {output.Name}'s tile {_tiles[id].Name} is never stored", _tiles[id].Origin);
                else if (output.Symbols is { } expected && (k >= expected.Length || expected[k] != _memorySymbol[id]))
                    Report(ViolationKind.WrongDataflow, Makespan, _tiles[id].Memory, $"output {output.Name}'s tile {_tiles[id].Name} " +
                        "does not hold what the program computes: an instruction on its chain reads or makes the wrong tiles",
                        _writer[id]?.Source ?? _tiles[id].Origin);
            }
        }
    }

    /// <summary>
    /// No schedule of these instructions can be shorter than: the longest chain of data through them (each step as soon as
    /// its inputs allow), the busiest resource's load, that load between the chains before and after it (<see cref="Chains"/>),
    /// or all FLOPs at every unit's peak and all bytes over every link.
    /// </summary>
    public (long Cycles, string Kind) Bound()
    {
        var best = (_criticalPath, "critical path");
        for (var r = 0; r < _resourceLoad.Length; r++)
        {
            var cycles = (_resourceLoad[r] + _machine.Resources[r].Capacity - 1) / _machine.Resources[r].Capacity;
            if (cycles > best.Item1) best = (cycles, $"load of {_machine.Resources[r].Name}");
        }
        var (between, resource) = _chains.Bound(_machine.Resources);
        if (between > best.Item1) best = (between, $"load of {_machine.Resources[resource].Name} between the work before and after it");
        var roofline = Roofline.Of(_machine, _schedule.Instructions);
        return roofline.Cycles > best.Item1 ? roofline : best;
    }
}
