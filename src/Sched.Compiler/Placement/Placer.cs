using Sched.Language.Binding;
using Sched.Language.Diagnostics;
using Sched.Runtime.Operations;
using Sched.Runtime.Reporting;
using Sched.Runtime.Targets;

namespace Sched.Compiler.Placement;

/// <summary>
/// The stage between binding and lowering: it decides where every tensor lives and where every operation runs, where
/// the program leaves it out (data in the fastest memory with room, work on a unit of the right kind that can read its
/// operands), spreads tensors over chips, and checks that data can reach the units placed to read it.
/// </summary>
public sealed class Placer
{
    private readonly BoundProgram _program;
    private readonly BoundTarget _target;
    private readonly Machine _machine;
    private readonly DiagnosticBag _diagnostics;
    private readonly Chips _chips;
    private readonly Dictionary<TensorSymbol, string?> _homes = new(Identity<TensorSymbol>());
    private readonly Dictionary<(TensorSymbol, int), string> _layers = [];
    private readonly Dictionary<BoundOperation, OperationPlace?> _operations = new(Identity<BoundOperation>());
    private readonly Dictionary<string, long> _placedBytes = [];
    private readonly List<string> _notes = [];
    private readonly SortedDictionary<string, SortedSet<int>> _chosenPools = new(StringComparer.Ordinal);

    private Placer(BoundProgram program, DiagnosticBag diagnostics)
    {
        (_program, _target, _machine, _diagnostics) = (program, program.Target, program.Target.Machine, diagnostics);
        _chips = new Chips(_target, diagnostics);
    }

    public static PlacedProgram? Place(BoundProgram program, DiagnosticBag diagnostics)
    {
        var placer = new Placer(program, diagnostics);
        var errors = diagnostics.Count;
        placer.PlaceBlock(program.Body);
        if (diagnostics.Count > errors) return null;
        foreach (var (pool, lines) in placer._chosenPools)
            placer._notes.Add($"operations without 'on' run on {pool} (line{(lines.Count > 1 ? "s" : "")} {string.Join(", ", lines)})");
        placer._notes.AddRange(placer._chips.Notes);
        placer._notes.InsertRange(0, program.Notes);
        // Without errors every tensor and operation has a place: the nulls that stood for "failed, already said" are gone.
        var homes = placer._homes.ToDictionary(h => h.Key, h => h.Value!, Identity<TensorSymbol>());
        var operations = placer._operations.ToDictionary(o => o.Key, o => o.Value!.Value, Identity<BoundOperation>());
        return new PlacedProgram(program, homes, placer._layers, operations, placer._notes);
    }

    /// <summary>Symbols and operations are keyed by identity: one syntax node, one decision, however often a loop lowers it.</summary>
    private static IEqualityComparer<T> Identity<T>() where T : class => ReferenceEqualityComparer.Instance;

    private void PlaceBlock(IReadOnlyList<BoundStatement> statements)
    {
        foreach (var statement in statements)
            switch (statement)
            {
                case BoundTensorDeclaration d:
                    PlaceTensor(d.Symbol);
                    break;
                case BoundAssignment a:
                    var home = PlaceExpression(a.Value);
                    // A variable lives where its first value does.
                    _homes.TryAdd(a.Variable, home);
                    break;
                case BoundFor loop:
                    PlaceBlock(loop.Body);
                    break;
                case BoundRepeat repeat:
                    PlaceBlock(repeat.Body);
                    break;
                case BoundPhase phase:
                    PlaceBlock(phase.Body);
                    break;
                case BoundLayerAssignment layer:
                    PlaceExpression(layer.Value);
                    break;
            }
    }

    private void PlaceTensor(TensorSymbol symbol)
    {
        var bytes = symbol.Type.Dtype.Bytes(symbol.Type.Elements * Math.Max(1, symbol.Type.Layers));
        string home;
        if (symbol.Memory is { } chosen)
        {
            home = chosen;
            _placedBytes[home] = _placedBytes.GetValueOrDefault(home) + bytes;
            CheckRoom(symbol, home, bytes);
        }
        else
        {
            home = ChooseMemory(bytes, out var why);
            _notes.Add($"{symbol.Name} placed in {home} ({why})");
        }
        _homes[symbol] = home;
        if (!_target.IsGroup(home) || _chips.Spread(symbol, home) is not { } layers) return;
        for (var layer = 0; layer < layers.Count; layer++) _layers[(symbol, layer)] = layers[layer];
    }

    /// <summary>What is resident before the step (inputs, weights, KV caches) must fit its memory: said where it stops fitting.</summary>
    private void CheckRoom(TensorSymbol symbol, string home, long bytes)
    {
        if (_target.IsGroup(home)) return;
        var memory = _machine.Memories[_machine.MemoryIndex(home)];
        var used = _placedBytes[home];
        if (used <= memory.Capacity || used - bytes > memory.Capacity) return;
        var what = symbol.Kind switch { TensorKind.Cache => "KV cache", TensorKind.Weight => "weight", _ => "input" };
        _diagnostics.ReportDoesNotFit(symbol.Span, $"the {what} {symbol.Name} needs {Quantity.Bytes(bytes)} in {home}, but only "
            + $"{Quantity.Bytes(memory.Capacity - (used - bytes))} of its {Quantity.Bytes(memory.Capacity)} is left after the tensors "
            + $"declared before it ({Quantity.Bytes(used - memory.Capacity)} short)");
    }

    /// <summary>
    /// Where a tensor without 'in' goes: a group of chips if the target has one, else the memory with the fastest link to a
    /// compute unit that still has room for it (counting what is already placed), so SRAM fills before HBM, flash and fibre.
    /// </summary>
    private string ChooseMemory(long bytes, out string why)
    {
        if (_target.Groups.Keys.FirstOrDefault() is { } group)
        {
            why = "spread over the chips of the target";
            return group;
        }
        var candidates = _machine.Memories
            .Select(m => (Memory: m, Speed: _machine.Links.Where(l => l.From == m.Name && _machine.UnitNames.Contains(l.To))
                .Select(l => l.BytesPerCycle * l.Lanes).DefaultIfEmpty(0).Max()))
            .Where(c => c.Speed > 0)
            .OrderByDescending(c => c.Speed).ThenBy(c => c.Memory.Name, StringComparer.Ordinal).ToList();
        foreach (var (m, speed) in candidates)
            if (_placedBytes.GetValueOrDefault(m.Name) + bytes <= m.Capacity)
            {
                _placedBytes[m.Name] = _placedBytes.GetValueOrDefault(m.Name) + bytes;
                why = candidates.Count > 1
                    ? $"the fastest memory with room: {speed:0.#} B a cycle to its units"
                    : "the target's only memory its units read";
                return m.Name;
            }
        why = "no memory has room; the allocator will say how much is missing";
        return candidates.Count > 0 ? candidates[0].Memory.Name : _machine.Memories[0].Name;
    }

    /// <summary>The memory an expression's value lives in, or null when placing it failed (already reported).</summary>
    private string? PlaceExpression(BoundTensorExpression expression) => expression switch
    {
        BoundTensorReference r => _homes.GetValueOrDefault(r.Symbol),
        BoundLayer l => _homes.GetValueOrDefault(l.Weight),
        BoundOperation op => PlaceOperation(op),
        BoundBlockCall call => PlaceCall(call),
        BoundRowView v => PlaceExpression(v.Source),
        BoundCollective c => c.Source is null || PlaceExpression(c.Source) is not null ? c.Group : null,
        _ => throw new InvalidOperationException($"unexpected {expression.GetType().Name}"),
    };

    private string? PlaceCall(BoundBlockCall call)
    {
        PlaceBlock(call.Body);
        return PlaceExpression(call.Result);
    }

    private string? PlaceOperation(BoundOperation op)
    {
        if (_operations.TryGetValue(op, out var done)) return done?.Memory;
        var homes = op.Arguments.Select(PlaceExpression).ToList();
        var place = homes.Any(h => h is null) ? null : Decide(op, homes!);
        _operations[op] = place;
        return place?.Memory;
    }

    /// <summary>The pool an operation runs on and where its result goes, checked against the target's links.</summary>
    private OperationPlace? Decide(BoundOperation op, IReadOnlyList<string> homes)
    {
        if ((op.Pool ?? ChoosePool(op, homes)) is not { } pool) return null;
        if (_target.IsGroup(pool) || op.Memory is { } m && _target.IsGroup(m) || homes.Any(_target.IsGroup))
            // Work on a group of chips is placed chip by chip when lowering, which also checks the links.
            return new OperationPlace(pool, op.Memory ?? (_target.IsGroup(pool) ? pool : _target.Groups.Keys.First()));
        var instance = _machine.Units[_target.PoolUnits(pool)[0]].Name;
        if (op.Memory is { } explicitMemory && _machine.Memories[_machine.MemoryIndex(explicitMemory)].NotWritable is { } why)
        {
            _diagnostics.ReportInvalidValue(op.MemorySpan ?? op.Span, $"results cannot be stored in {explicitMemory}: {why}");
            return null;
        }
        var result = op.Memory ?? _machine.Links.FirstOrDefault(l => l.From == instance && _machine.MemoryIndex(l.To) >= 0
            && _machine.Memories[_machine.MemoryIndex(l.To)].NotWritable is null)?.To;
        if (result is null)
        {
            _diagnostics.ReportNoLink(op.Span, pool, "any memory");
            return null;
        }
        for (var i = 0; i < homes.Count; i++)
            if (_machine.LinkIndex(homes[i], instance) < 0)
            {
                _diagnostics.ReportNoLink(op.Arguments[i].Span, homes[i], pool);
                return null;
            }
        if (_machine.LinkIndex(instance, result) < 0)
        {
            _diagnostics.ReportNoLink(op.MemorySpan ?? op.Span, pool, result);
            return null;
        }
        return new OperationPlace(pool, result);
    }

    /// <summary>The compiler's choice: a unit of the kind the operation is built for that can read every operand where it lives.</summary>
    private string? ChoosePool(BoundOperation op, IReadOnlyList<string> homes)
    {
        var wanted = OperationCatalogue.Of(op.Op).Unit;
        bool Reaches(ComputeUnit u) => homes.All(m => _target.IsGroup(m) || _machine.LinkIndex(m, u.Name) >= 0);
        var first = _machine.Units.FirstOrDefault(u => u.Kind == wanted && Reaches(u))
            ?? _machine.Units.FirstOrDefault(Reaches)
            ?? _machine.Units.FirstOrDefault(u => u.Kind == wanted) ?? _machine.Units.FirstOrDefault();
        if (first is null)
        {
            _diagnostics.ReportNoLink(op.Span, "its memories", "any compute unit (the target has none)");
            return null;
        }
        var pool = _target.Groups.FirstOrDefault(g => g.Value.Any(c => c.Pool == first.Pool)).Key ?? first.Pool;
        (_chosenPools.TryGetValue(pool, out var lines) ? lines : _chosenPools[pool] = []).Add(_program.Source.Location(op.Span).Line);
        return pool;
    }
}
