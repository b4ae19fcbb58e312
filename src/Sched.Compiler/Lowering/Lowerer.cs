using Sched.Runtime.Operations;
using Sched.Compiler.Placement;
using Sched.Compiler.Scheduling;
using Sched.Language.Binding;
using Sched.Language.Diagnostics;
using Sched.Language.Text;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;
using Reporting = Sched.Runtime.Reporting;

namespace Sched.Compiler.Lowering;

/// <summary>
/// Unrolls loops and cuts every tensor into column blocks of the target's tile width. Each output block of an
/// operation becomes: loads of its operand tiles over the memory→unit link, one compute on a unit of the pool,
/// a store of the result over the unit→memory link. Dependences carry the lags of the machine model.
/// </summary>
public sealed class Lowerer
{
    private readonly BoundProgram _program;
    private readonly PlacedProgram _placed;
    private readonly Regions _regions = new();
    private readonly Machine _machine;
    private readonly DiagnosticBag _diagnostics;
    private readonly Problem _problem;
    private readonly List<Instruction> _instructions = [];
    private readonly List<Tile> _tiles = [];
    private readonly List<TextSpan> _tileOrigins = [];
    private readonly List<OutputTensor> _outputs = [];
    private readonly Dictionary<int, List<int>> _producer = [];   // tile → the stores that write it (one, or one a row piece)
    private readonly Dictionary<(int Tile, RowWindow Window), int> _views = [];
    private readonly Evaluation.Growth<TileSet> _growth = new();   // what earlier repeat steps made, for a cache that grows
    private bool _stepsDiffer;   // a repeat's steps read what the ones before made
    private readonly FutureReads _reads;   // when each tile is read, in compute steps: recorded by a first pass, then consulted
    private readonly bool _recording;
    private int _steps;
    private readonly Dictionary<TensorSymbol, TileSet> _values = [];
    private readonly Dictionary<(TensorSymbol, long), TileSet> _layers = [];
    private readonly Dictionary<LoopVariable, long> _loops = [];
    private readonly long[] _unitLoad;
    private readonly UnitBuffers _buffers;
    private int _version;
    private long _budget = MaxWork;
    private TextSpan _span;   // the operation being lowered, for diagnostics
    private TextSpan? _callSite;   // the outermost block call being lowered: the line its instructions carry
    private readonly Dictionary<int, List<int>> _lastKernel = [];   // a unit with a launch gap → its last operation's instructions
    private readonly bool _launches;   // whether any unit has a launch gap
    // Each collective's summation order, occurrence by occurrence: a tree's (tree, halving) or a chain's (ring, direct).
    private readonly Dictionary<BoundCollective, List<bool>> _sumOrders = new(ReferenceEqualityComparer.Instance);
    private double _flops;
    private RepeatRegion? _repeat;
    private readonly List<(int First, int End)> _phases = [];   // each phase's operations, in program order
    private readonly List<(string Note, int First, int End)> _collectives = [];   // each collective's operations

    /// <summary>A tensor value as its tiles, in column order; a collective's result also has a copy on each chip (by memory).</summary>
    private sealed record TileSet(string Name, TensorType Type, int[] Tiles)
    {
        public IReadOnlyDictionary<string, int[]>? Replicas { get; init; }
    }

    private Lowerer(PlacedProgram placed, DiagnosticBag diagnostics, FutureReads reads, bool recording)
    {
        (_reads, _recording) = (reads, recording);
        _placed = placed;
        var program = _program = placed.Program;
        _machine = program.Target.Machine;
        _diagnostics = diagnostics;
        // Resources: each unit, each link (its lanes), then each memory's banks, dies, channels or vaults.
        var names = _machine.Resources.Select(r => r.Name).ToList();
        var capacities = _machine.Resources.Select(r => r.Capacity).ToList();
        _problem = new Problem(names, capacities);
        foreach (var memory in _machine.Memories) _problem.AddMemory(memory.Name, memory.Capacity);
        _unitLoad = new long[_machine.Units.Count];
        _buffers = new UnitBuffers(_machine.Units, recording ? null : reads);
        _launches = _machine.Units.Any(u => u.Launch > 0);
    }

    // Tiles, instructions and loop iterations a program may lower to (each counted as made); beyond it, a diagnostic, not hours of work.
    private const long MaxWork = 4_000_000;
    // One operation longer than this many cycles means a unit or link too slow to be meant.
    private const long MaxDuration = 1_000_000_000_000;

    /// <summary>Lowers a placed program; reading-order layout (<see cref="ReadingOrder"/>) follows, before solving.</summary>
    public static LoweredProgram? Lower(PlacedProgram placed, DiagnosticBag diagnostics)
    {
        // A bounded buffer evicts best knowing what is read when: a first pass (its diagnostics dropped) records it.
        var reads = new FutureReads();
        if (placed.Program.Target.Machine.Units.Any(u => u.HasBuffer))
            new Lowerer(placed, new DiagnosticBag(placed.Program.Source), reads, recording: true).LowerBlock(placed.Program.Body);
        var lowerer = new Lowerer(placed, diagnostics, reads, recording: false);
        var errors = diagnostics.Count;
        lowerer.LowerBlock(placed.Program.Body);
        if (diagnostics.Count > errors) return null;
        PhaseOrder.Chain(lowerer._problem, lowerer._phases);
        lowerer.AddFootprints();
        return new LoweredProgram(lowerer._problem, lowerer._instructions, lowerer._tiles, lowerer._tileOrigins, lowerer._outputs,
            lowerer._flops, lowerer._repeat, placed.Notes)
            {
                Collectives = lowerer._collectives,
                SumOrders = lowerer._sumOrders
                    .ToDictionary<KeyValuePair<BoundCollective, List<bool>>, BoundCollective, IReadOnlyList<bool>>(
                        x => x.Key, x => x.Value, ReferenceEqualityComparer.Instance),
            };
    }

    private void LowerBlock(IReadOnlyList<BoundStatement> statements)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case BoundTensorDeclaration d when d.Symbol.Type.IsStacked:
                    for (var layer = 0; layer < d.Symbol.Type.Layers; layer++)
                        _layers[(d.Symbol, layer)] = Resident(d.Symbol, layer);
                    break;
                case BoundTensorDeclaration d:
                    _values[d.Symbol] = Resident(d.Symbol, 0);
                    break;
                case BoundAssignment a:
                    if (Evaluate(a.Value, a.Variable.Name) is { } value) _values[a.Variable] = value;
                    break;
                case BoundFor loop:
                    if (!Spend(Math.Max(0, loop.Upper - loop.Lower), loop.Span)) return;
                    for (var i = loop.Lower; i < loop.Upper; i++)
                    {
                        if (!Spend(1, loop.Span)) return;
                        _loops[loop.Variable] = i;
                        LowerBlock(loop.Body);
                    }
                    _loops.Remove(loop.Variable);
                    break;
                case BoundRepeat repeat:
                    if (!Spend(repeat.Count, repeat.Span)) return;
                    var first = _problem.Count;
                    // Every step starts from the same unit loads, so every step places its tiles on the same units:
                    // modulo scheduling needs identical steps.
                    var loads = (long[])_unitLoad.Clone();
                    _stepsDiffer = false;
                    _growth.Forget();
                    for (var i = 0; i < repeat.Count; i++)
                    {
                        Array.Copy(loads, _unitLoad, loads.Length);
                        _buffers.Forget();
                        LowerBlock(repeat.Body);
                    }
                    // Steps that read what the ones before made (a cache that grows) differ: scheduled as one program, not pipelined.
                    if (repeat.Count > 0 && (_problem.Count - first) % repeat.Count == 0 && !_stepsDiffer)
                        _repeat = new RepeatRegion(first, (_problem.Count - first) / (int)repeat.Count, (int)repeat.Count)
                            { Span = repeat.Span };
                    break;
                case BoundPhase phase:
                    var from = _problem.Count;
                    _buffers.Forget();   // a phase is a pass of its own: nothing it needs is still in a unit's buffer
                    LowerBlock(phase.Body);
                    _phases.Add((from, _problem.Count));
                    break;
                case BoundLayerAssignment layer:
                    var at = layer.Index.Evaluate(_loops);
                    if (at < 0 || at >= layer.Cache.Type.Layers)
                    {
                        _diagnostics.ReportIndexOutOfRange(layer.Index.Span, layer.Cache.Name, at, layer.Cache.Type.Layers);
                        return;
                    }
                    if (Evaluate(layer.Value, $"{layer.Cache.Name}[{at}]") is { } filled) _layers[(layer.Cache, at)] = filled;
                    break;
                case BoundOutput output:
                    var set = _values[output.Variable];
                    _outputs.Add(new OutputTensor(output.Variable.Name, set.Type.Rows, set.Type.Cols, set.Tiles, null));
                    break;
            }
            if (_diagnostics.HasErrors) return;
        }
    }

    private TileSet Resident(TensorSymbol symbol, int layer)
    {
        var home = _placed.HomeOf(symbol, layer);
        if (!Spend(BlockCount(symbol.Type), symbol.Span)) return new TileSet(symbol.Name, symbol.Type.Layer, []);
        var name = symbol.Type.IsStacked ? $"{symbol.Name}[{layer}]" : symbol.Name;
        var tiles = Blocks(symbol.Type).Select((b, j) =>
            NewTile($"{name}.{j}", home, symbol.Type, b.Offset, b.Width, resident: true, symbol.Name, layer, symbol.Span)).ToArray();
        return new TileSet(name, symbol.Type.Layer, tiles);
    }

    private TileSet? Evaluate(BoundTensorExpression expression, string name)
    {
        switch (expression)
        {
            case BoundTensorReference r:
                return _values[r.Symbol];
            case BoundLayer l:
                var index = l.Index.Evaluate(_loops);
                if (index < 0 || index >= l.Weight.Type.Layers)
                {
                    _diagnostics.ReportIndexOutOfRange(l.Index.Span, l.Weight.Name, index, l.Weight.Type.Layers);
                    return null;
                }
                return _layers[(l.Weight, index)];
            case BoundBlockCall call:
                // What a call makes is the call's: its instructions carry the call's line, so they belong to the caller's phase.
                var outer = _callSite;
                _callSite ??= call.Span;
                LowerBlock(call.Body);
                var made = _diagnostics.HasErrors ? null : Evaluate(call.Result, name);
                _callSite = outer;
                return made;
            case BoundCollective collective:
                return LowerCollective(collective, name);
            case BoundRowView v:
                return Evaluate(v.Source, name) is { } whole
                    ? new TileSet($"{whole.Name}[{v.From}:{v.From + v.Rows}]", v.Type,
                        [.. whole.Tiles.Select(t => View(t, new RowWindow(v.From, v.Rows)))])
                    : null;
            case BoundOperation op:
                var args = new List<TileSet>();
                foreach (var a in op.Arguments)
                    if (Evaluate(a, name + "'") is { } set) args.Add(set);
                    else return null;
                var grown = _growth.Extend(op, _loops, args);
                _stepsDiffer |= grown.Count > args.Count;
                return _budget < 0 ? null : LowerOperation(op, [.. grown], name);
            default:
                throw new InvalidOperationException($"unexpected {expression.GetType().Name}");
        }
    }

    private TileSet LowerOperation(BoundOperation op, List<TileSet> args, string name)
    {
        _span = op.Span;
        var homes = args.Select(a => a.Tiles.Length > 0 ? _tiles[a.Tiles[0]].Memory : "").ToList();
        if (Pinned(op.PoolChip, _placed.Of(op).Pool, out var poolChip) is false
            || Pinned(op.MemoryChip, _placed.Of(op).Memory, out var memoryChip) is false) return new TileSet(name, op.Type, []);
        var (poolName, resultMemory) = Chips.OnChip(_program.Target, _placed.Of(op), homes, poolChip, memoryChip);
        // A value on every chip of a group (a collective's result) is read from the copy on the chip that does the work.
        var local = _program.Target.Groups.Values.SelectMany(g => g).FirstOrDefault(c => c.Pool == poolName)?.Memory;
        args = args.Select(a => local is not null && a.Replicas?.GetValueOrDefault(local) is { } copy ? a with { Tiles = copy } : a)
            .ToList();
        return LowerOn(op, args, name, poolName, resultMemory);
    }

    /// <summary>
    /// Each output block of an operation on a pool of units, its result to a memory: loads, compute, store. A collective's step
    /// works on one block of a wider tensor, which starts at column <paramref name="column"/>.
    /// </summary>
    private TileSet LowerOn(BoundOperation op, List<TileSet> args, string name, string poolName, string resultMemory, int column = 0)
    {
        var first = _problem.Count;
        var made = LowerBlocks(op, args, name, poolName, resultMemory, column);
        KernelOrder(first, _problem.Count);
        return made;
    }

    /// <summary>
    /// On a unit with a launch gap an operation is a kernel: its instructions there start once every instruction of the operation
    /// before it there has ended and the gap has passed. Its first instruction waits for all of those; the rest wait for it.
    /// </summary>
    private void KernelOrder(int first, int end)
    {
        if (!_launches) return;
        foreach (var unit in Enumerable.Range(first, end - first).Select(o => _instructions[o].Unit).Distinct().ToList())
        {
            var launch = unit >= 0 ? _machine.Units[unit].Launch : 0;
            if (launch == 0) continue;
            var ops = Enumerable.Range(first, end - first).Where(o => _instructions[o].Unit == unit).ToList();
            if (_lastKernel.TryGetValue(unit, out var before))
            {
                foreach (var b in before) _problem.AddDependence(b, ops[0], LagAfter(b) + launch);
                foreach (var o in ops.Skip(1)) _problem.AddDependence(ops[0], o, 0);
            }
            _lastKernel[unit] = ops;
        }
    }

    private TileSet LowerBlocks(BoundOperation op, List<TileSet> args, string name, string poolName, string resultMemory, int column)
    {
        var version = $"{name}#{++_version}";
        var pool = _program.Target.PoolUnits(poolName);
        var operation = OperationCatalogue.Of(op.Op);
        var call = new Call(args.Select(a => new Shape(a.Type.Dtype, a.Type.Rows, a.Type.Cols)).ToArray(), op.Settings,
            _program.Target.TileWidth) { RowChunk = op.RowChunk };
        var source = Line(op.Span);
        var result = new List<int>();
        foreach (var (offset, width, j) in Blocks(op.Type).Select((b, j) => (b.Offset, b.Width, j)))
        {
            var made = _problem.Count;   // the guard counts what this block makes: its new loads, compute and store
            var unit = pool.OrderBy(u => _unitLoad[u]).ThenBy(u => u).First();
            var link = _machine.LinkIndex(_machine.Units[unit].Name, resultMemory);
            if (link < 0)
            {
                _diagnostics.ReportNoLink(op.Span, _machine.Units[unit].Name, resultMemory);
                _budget = -1;
                return new TileSet(version, op.Type, []);
            }
            // The steps and the operand tiles each reads, and their M×K×N, are the operation's to say.
            var steps = operation.Steps(call, args.Select(a => a.Tiles).ToArray(), j);
            int NewBlock() =>
                NewTile($"{version}.{j}", resultMemory, op.Type, column + offset, width, resident: false, version, 0, op.Span);
            var outTile = steps[^1].ResultRows is null ? -1 : NewBlock();   // a block made rows apart: each step stores its rows
            var (state, before) = (-1, -1);   // the state the step before left on the unit, and that step
            for (var s = 0; s < steps.Count; s++)
            {
                var work = steps[s];
                var operands = work.Operands.Select((t, i) => t == Work.State ? state
                    : work.Windows?[i] is { } w ? View(t, w) : t).ToArray();
                var tile = work.ResultRows is { } rows ? View(outTile, rows)
                    : s == steps.Count - 1 ? outTile = NewBlock()
                    : NewState($"{version}.{j}.state{s}", resultMemory, work.M, work.StateCols, version, op.Span);
                var compute = Step(op, unit, work, operands, tile, state, source);
                if (compute < 0) return new TileSet(version, op.Type, []);
                if (before >= 0 && work.ResultRows is null) _problem.AddDependence(before, compute, LagAfter(before));
                (state, before) = (tile, compute);
                if (work.ResultRows is not null || s == steps.Count - 1) Store(tile, unit, link, compute, source);
            }
            result.Add(outTile);
            if (!Spend(_problem.Count - made + 1, op.Span)) return new TileSet(version, op.Type, []);
        }
        return new TileSet(version, op.Type, result.ToArray());
    }

    /// <summary>Stores what a step made (a block, or its rows) to memory once the step has made it.</summary>
    private void Store(int tile, int unit, int link, int compute, SourceLine source)
    {
        var store = AddStep(new Instruction(0, Opcode.Store, unit, link, [tile], tile, _tiles[tile].Bytes, 0, 0, 0, source));
        _problem.AddDependence(compute, store, LagAfter(compute));
        _buffers.Use(unit, tile, store);
        var block = _tiles[tile].Storage;
        (_producer.TryGetValue(block, out var stores) ? stores : _producer[block] = []).Add(store);
    }

    /// <summary>One step of an output block on a unit: its operands loaded (or reused) there, then the compute; -1 when they do not
    /// fit the unit's buffer.</summary>
    private int Step(BoundOperation op, int unit, Work work, int[] operands, int result, int state, SourceLine source)
    {
        var flops = OperationCatalogue.Of(op.Op).Flops(work.M, work.K, work.N, work.Args);
        _flops += flops;
        var computeCycles = _machine.Units[unit].ComputeCycles(flops, op.Type.Dtype,
            op.Type.Dtype.Bytes((long)_tiles[result].Rows * _tiles[result].Cols));
        _unitLoad[unit] += computeCycles;
        _reads.Now = _steps++;
        if (_recording) foreach (var t in operands) _reads.Record(t);
        var keep = operands.ToHashSet();
        var loads = new List<int>();
        foreach (var t in operands.Distinct().Where(t => t != state))   // the state is already on the unit
            if ((_buffers.Holder(unit, t) ?? Buffered(t, unit, keep, source)) is { } load) loads.Add(load);
            else return -1;
        if (Room(unit, result, keep) is not { } waits) return -1;
        var compute = Add(new Instruction(0, op.Op, unit, -1, operands, result, 0, work.M, work.K, work.N, source, op.Type.Dtype)
            { Args = work.Args }, computeCycles, _machine.Units[unit].Latency, new Demand(unit, 1));
        foreach (var load in loads) _problem.AddDependence(load, compute, LagAfter(load));
        foreach (var w in waits) _problem.AddDependence(w, compute, _problem.Durations[w]);
        foreach (var t in keep) _buffers.Use(unit, t, compute);
        _buffers.Add(unit, result, _tiles[result].Bytes, compute, reusable: false);
        return compute;
    }

    /// <summary>The view of rows of a tile a step reads, made once per window (a long key tile streamed in windows).</summary>
    private int View(int tile, RowWindow window)
    {
        if (_tiles[tile].IsView)   // rows of a view are rows of its parent: a view never has a view as its parent
            return View(_tiles[tile].Parent, window with { From = _tiles[tile].RowOffset + window.From });
        if (_views.TryGetValue((tile, window), out var id)) return id;
        var t = _tiles[tile];
        var rowBytes = t.Bytes / t.Rows;
        id = _tiles.Count;
        _tiles.Add(t with
        {
            Id = id, Name = $"{t.Name}[{window.From}:{window.From + window.Rows}]", Address = t.Address + rowBytes * window.From,
            Bytes = rowBytes * window.Rows, Rows = window.Rows, Resident = false, Parent = tile, RowOffset = window.From,
        });
        _tileOrigins.Add(_tileOrigins[tile]);
        return _views[(tile, window)] = id;
    }

    /// <summary>
    /// A collective's steps (<see cref="CollectivePlan"/>), each an add or a copy of one block on the chip that receives it; part k
    /// must be on chip k. The result is the first chip's blocks, with every chip's as its replicas.
    /// </summary>
    private TileSet? LowerCollective(BoundCollective c, string name)
    {
        _span = c.Span;
        if (Parts(c, name, _program.Target.Groups[c.Group]) is not var (parts, chips, source, what)) return null;
        var plan = CollectivePlan.Of(_machine, c, chips, parts[0].Tiles.Length, source);
        (_sumOrders.TryGetValue(c, out var orders) ? orders : _sumOrders[c] = []).Add(plan.SumsByTree);
        var first = _problem.Count;
        var (dtype, rows) = (c.Type.Dtype, c.Type.Rows);
        int Step(CollectivePlan.Step s, params int[] tiles)
        {
            var type = new TensorType(dtype, rows, _tiles[tiles[0]].Cols);
            var op = new BoundOperation(s.Op, [], null, null, type, c.Span);
            var args = tiles.Select(t => new TileSet(_tiles[t].Name, type, [t])).ToList();
            var made = LowerOn(op, args, $"{name}.{c.Name}", chips[s.Chip].Pool, chips[s.Chip].Memory,
                column: s.Block * _program.Target.TileWidth);
            return made.Tiles.Length == 1 ? made.Tiles[0] : -1;
        }
        var values = plan.Run((k, j) => parts[k].Tiles[j], (s, a, b) => Step(s, a, b), (s, a) => Step(s, a));
        if (_diagnostics.HasErrors) return null;
        _collectives.Add((plan.Describe(what, chips), first, _problem.Count));
        var blocks = Enumerable.Range(0, plan.Final.GetLength(1)).ToArray();
        // A reduce-scatter's sum is spread: each block on the chip that finished it.
        if (c.Kind == CollectiveKind.ReduceScatter)
            return new TileSet(name, c.Type, blocks.Select(r => values[plan.Final[plan.Owners[r], r]]).ToArray());
        int[] Of(int chip) => blocks.Select(r => values[plan.Final[chip, r]]).ToArray();
        return new TileSet(name, c.Type, Of(0)) { Replicas = Enumerable.Range(0, chips.Count).ToDictionary(k => chips[k].Memory, Of) };
    }

    /// <summary>The chip of the group that holds all of a value's tiles, or -1.</summary>
    private int ChipOf(TileSet value, IReadOnlyList<Chip> group) =>
        group.ToList().FindIndex(chip => value.Tiles.All(t => _tiles[t].Memory == chip.Memory));

    /// <summary>
    /// A collective's inputs and the chips it runs over: each part on its own chip of the group (the collective runs over those
    /// chips, in part order), or a broadcast's one tensor on one chip (sent to every chip of the group).
    /// </summary>
    private (List<TileSet> Parts, IReadOnlyList<Chip> Chips, int Source, string What)? Parts(BoundCollective c, string name,
        IReadOnlyList<Chip> group)
    {
        if (c.Source is { } expression)
        {
            if (Evaluate(expression, name + "'") is not { } x) return null;
            if (ChipOf(x, group) is var source and >= 0) return (Enumerable.Repeat(x, group.Count).ToList(), group, source, name);
            _diagnostics.ReportInvalidValue(expression.Span, $"broadcast sends a tensor from one chip of {c.Group}; this one is in "
                + string.Join(", ", x.Tiles.Select(t => _tiles[t].Memory).Distinct()));
            return null;
        }
        var stacked = c.Parts!;
        var parts = Enumerable.Range(0, stacked.Type.Layers).Select(k => _layers[(stacked, k)]).ToList();
        var chips = new List<Chip>();
        for (var k = 0; k < parts.Count; k++)
        {
            var at = ChipOf(parts[k], group);
            var twin = at < 0 ? -1 : chips.IndexOf(group[at]);
            if (at >= 0 && twin < 0)
            {
                chips.Add(group[at]);
                continue;
            }
            _diagnostics.ReportInvalidValue(c.Span, at < 0
                ? $"{c.Name} needs each part on one chip of {c.Group}, but {stacked.Name}[{k}] is in "
                    + string.Join(", ", parts[k].Tiles.Select(t => _tiles[t].Memory).Distinct())
                : $"{c.Name} needs its parts on different chips, but {stacked.Name}[{twin}] and {stacked.Name}[{k}] are both on "
                    + $"{group[at].Pool}: make part k on its own chip, '{stacked.Name}[k] = … on {c.Group}[k];'");
            return null;
        }
        return (parts, chips, 0, stacked.Name);
    }

    /// <summary>The chip a pin names in this loop step; false (and a diagnostic) when it is outside the group.</summary>
    private bool Pinned(BoundIndex? index, string group, out long? chip)
    {
        chip = index?.Evaluate(_loops);
        if (chip is not { } k || !_program.Target.Groups.TryGetValue(group, out var chips) || k >= 0 && k < chips.Count) return true;
        _diagnostics.ReportIndexOutOfRange(index!.Span, group, k, chips.Count, "chips");
        _budget = -1;
        return false;
    }

    /// <summary>Loads a tile into the unit's buffer once there is room for it; null (and a diagnostic) when there never is.</summary>
    private int? Buffered(int tile, int unit, IReadOnlySet<int> keep, SourceLine source)
    {
        if (Room(unit, tile, keep) is not { } waits) return null;
        var load = Load(tile, unit, source);
        foreach (var w in waits) _problem.AddDependence(w, load, _problem.Durations[w]);
        _buffers.Add(unit, tile, _tiles[tile].Bytes, load, reusable: true);
        return load;
    }

    /// <summary>The ops a new holder of the unit's buffer waits for; null (and a diagnostic) when one op's tiles cannot fit it.</summary>
    private List<int>? Room(int unit, int tile, IReadOnlySet<int> keep)
    {
        if (_buffers.MakeRoom(unit, _tiles[tile].Bytes, keep) is { } waits) return waits;
        var u = _machine.Units[unit];
        var needed = keep.Append(tile).Distinct().Sum(t => _tiles[t].Bytes);
        // What every step reads whole (a weight tile, a cache read with kv_chunk = 0) is what does not fit.
        _diagnostics.ReportDoesNotFit(_span, $"one step of this operation needs about {Reporting.Quantity.Bytes(needed)} "
            + $"in {u.Name}'s buffer, which holds {Reporting.Quantity.Bytes(u.Buffer)}; use a narrower tile, a larger buffer, or for "
            + "attention a smaller kv_chunk");
        _budget = -1;
        return null;
    }

    private int Load(int tile, int unit, SourceLine source)
    {
        var t = _tiles[tile];
        var link = _machine.LinkIndex(t.Memory, _machine.Units[unit].Name);
        if (link < 0)
        {
            // Without a path (e.g. chips that are not neighbours) the data cannot reach the unit: say so once.
            if (_budget >= 0) _diagnostics.ReportNoLink(_span, t.Memory, _machine.Units[unit].Name);
            _budget = -1;
            return _problem.AddOperation(1, 0);
        }
        // The memory's load steps, last first (the transfer, then e.g. the flash read before it), each after the one before.
        var steps = _machine.Memories[_machine.MemoryIndex(t.Memory)].LoadSteps;
        var load = AddStep(new Instruction(0, Opcode.Load, unit, link, [tile], tile, t.Bytes, 0, 0, 0, source));
        foreach (var store in _producer.GetValueOrDefault(t.Storage) ?? []) _problem.AddDependence(store, load, LagAfter(store));
        var next = load;
        for (var s = steps.Count - 2; s >= 0; s--)
        {
            var before = AddStep(new Instruction(0, steps[s], unit, -1, [tile], tile, t.Bytes, 0, 0, 0, source));
            _problem.AddDependence(before, next, LagAfter(before));
            next = before;
        }
        return load;
    }

    /// <summary>
    /// Each stored tile holds its bytes from its store to its last load; outputs and resident tiles are left to the allocator.
    /// </summary>
    private void AddFootprints()
    {
        var readers = new Dictionary<int, List<int>>();
        for (var i = 0; i < _instructions.Count; i++)
            if (_instructions[i].Op == Opcode.Load && _tiles[_instructions[i].Result].Storage is var read && _producer.ContainsKey(read))
                (readers.TryGetValue(read, out var list) ? list : readers[read] = []).Add(i);
        var outputs = _outputs.SelectMany(o => o.Tiles).ToHashSet();
        // A tile stored in row pieces is counted from its first piece's store (pieces are stored in row order, near together).
        foreach (var (tile, stores) in _producer)
            if (!outputs.Contains(tile))
                _problem.AddFootprint(stores[0], _machine.MemoryIndex(_tiles[tile].Memory), _tiles[tile].Bytes,
                    readers.TryGetValue(tile, out var r) ? r.ToArray() : []);
    }

    private bool Spend(long work, TextSpan span)
    {
        if (_budget < 0) return false;
        _budget -= work;
        if (_budget >= 0) return true;
        _diagnostics.ReportTooLarge(span,
            $"the program lowers to more than {MaxWork} tiles, instructions and loop steps; shrink it with --set or a wider tile");
        return false;
    }

    private long LagAfter(int op) => _problem.Durations[op] + _problem.Latencies[op];

    /// <summary>Adds an access step (a transfer or a step inside a memory) timed and placed by its memory's rules.</summary>
    private int AddStep(Instruction instruction)
    {
        var step = _machine.StepOf(instruction, _tiles)!.Value;
        instruction = instruction with { Bytes = step.Bytes };
        var demands = _machine.Holds(instruction, step, _tiles).Select(h => new Demand(h.Resource, h.Amount)).ToArray();
        return Add(instruction, step.Duration, step.After, demands);
    }

    private int Add(Instruction instruction, long duration, long latency, params Demand[] demand)
    {
        if (duration > MaxDuration && _budget >= 0)
        {
            _budget = -1;
            _diagnostics.ReportTooLarge(_span,
                $"{instruction.Op.Mnemonic()} at line {instruction.Source.Line} would take {duration} cycles; is a bandwidth or peak " +
                    $"missing a prefix?");
        }
        _instructions.Add(instruction);
        return _problem.AddOperation(duration, latency, demand);
    }

    private int NewTile(string name, string memory, TensorType type, int offset, int width, bool resident, string tensor, int layer,
        TextSpan origin)
    {
        var id = _tiles.Count;
        var home = _machine.MemoryIndex(memory);
        var address = home >= 0 ? _regions.NextAddress(_machine.Memories[home]) : 0;
        _tiles.Add(new Tile(id, name, memory, address, type.Dtype.Bytes((long)type.Rows * width), type.Rows, width, resident, tensor,
            layer, offset, Line(origin)));
        _tileOrigins.Add(origin);
        return id;
    }

    /// <summary>The fp32 state one step of a block hands the next in the unit's buffer: it names the block's memory but is never
    /// stored there, so it takes no region or address.</summary>
    private int NewState(string name, string memory, int rows, int cols, string tensor, TextSpan origin)
    {
        _tiles.Add(new Tile(_tiles.Count, name, memory, 0, DataType.Fp32.Bytes((long)rows * cols), rows, cols, false, tensor, 0, 0,
            Line(origin)));
        _tileOrigins.Add(origin);
        return _tiles.Count - 1;
    }

    private long BlockCount(TensorType type) => (type.Cols + (long)_program.Target.TileWidth - 1) / _program.Target.TileWidth;

    private IEnumerable<(int Offset, int Width)> Blocks(TensorType type)
    {
        var tile = _program.Target.TileWidth;
        for (var offset = 0; offset < type.Cols; offset += tile)
            yield return (offset, Math.Min(tile, type.Cols - offset));
    }

    private SourceLine Line(TextSpan span)
    {
        var location = _program.Source.Location(_callSite ?? span);
        return new SourceLine(location.Line, location.Column);
    }
}
