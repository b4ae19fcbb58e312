using Sched.Runtime.Targets;
using Sched.Language.Diagnostics;
using Sched.Language.Syntax;
using Sched.Language.Text;
using Sched.Language.Units;
using Sched.Runtime.Operations;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets.Library;
using Sched.Runtime.Verification;

namespace Sched.Language.Binding;

/// <summary>The result of binding: the program, or null when the diagnostics hold errors.</summary>
public sealed record Binding(BoundProgram? Program, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>
/// Checks a parsed file: names, dtypes, shapes (matmul rules), units and placement against the target.
/// Parameters are fixed here (defaults, then <c>--set</c> overrides), so shapes are known numbers.
/// </summary>
public sealed partial class Binder
{
    private readonly SourceText _source;
    private readonly DiagnosticBag _diagnostics;
    private readonly BoundTarget _target;
    private readonly Dictionary<string, Quantity> _parameters = new();
    private readonly Dictionary<string, object> _scope = new();
    private readonly List<BoundAssert> _asserts = [];
    private readonly List<string> _notes = [];
    private int _loopDepth;
    private string? _phase;
    private readonly HashSet<string> _phases = [];
    private readonly Dictionary<string, BoundPhase> _boundPhases = [];
    private readonly Dictionary<LoopVariable, (long Lower, long Upper)> _loopRanges = [];   // each for loop's [lower, upper)
    private int _repeats;
    private bool _inRepeat;   // binding a repeat's body, where a step may read what the steps before it made

    private Binder(SourceText source, DiagnosticBag diagnostics, BoundTarget target)
    {
        _source = source;
        _diagnostics = diagnostics;
        _target = target;
    }

    public static Binding Bind(SyntaxTree tree, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var diagnostics = new DiagnosticBag(tree.Source);
        diagnostics.AddRange(tree.Diagnostics);
        if (diagnostics.HasErrors) return new Binding(null, diagnostics.ToList());
        var root = tree.Root;

        foreach (var duplicate in root.Targets.GroupBy(t => t.Name.Text).Where(g => g.Count() > 1))
            diagnostics.ReportDuplicateName(duplicate.Skip(1).First().Name.Span, duplicate.Key);
        var program = root.Programs.FirstOrDefault();
        if (program is null)
        {
            diagnostics.ReportNoProgram(new TextSpan(0, Math.Min(1, tree.Source.Text.Length)));
            return new Binding(null, diagnostics.ToList());
        }
        foreach (var extra in root.Programs.Skip(1))
            diagnostics.ReportInvalidValue(extra.Name.Span, "a file holds one program; put this one in a file of its own");

        foreach (var use in root.Uses)
            if (Catalogue.Find(use.Text) is null) diagnostics.ReportUnknownTarget(use.Span, use.Text);
        var targetSyntax = root.Targets.FirstOrDefault(t => t.Name.Text == program.Target.Text);
        BoundTarget? target;
        if (targetSyntax is not null) target = TargetBinder.Bind(targetSyntax, diagnostics);
        else if (Catalogue.Find(program.Target.Text) is { } preset)
        {
            // A preset of the target library; kinds whose rules are not modelled yet cannot run programs.
            target = preset.Machine is { } machine ? new BoundTarget(machine, preset.TileWidth)
                { Overheads = preset.Overheads.Select(o => $"{preset.Name}: {o.Name} {o.Value} ({o.Source})").ToList() } : null;
            if (target is null) diagnostics.ReportInvalidValue(program.Target.Span,
                $"{preset.Name} cannot run programs yet: {preset.NotSchedulable}");
        }
        else
        {
            diagnostics.ReportUnknownTarget(program.Target.Span, program.Target.Text, root.Targets.Select(t => t.Name.Text));
            return new Binding(null, diagnostics.ToList());
        }
        if (target is null || diagnostics.HasErrors) return new Binding(null, diagnostics.ToList());

        var binder = new Binder(tree.Source, diagnostics, target);
        var bound = binder.BindProgram(program, overrides ?? new Dictionary<string, string>());
        return new Binding(diagnostics.HasErrors ? null : bound, diagnostics.ToList());
    }

    private BoundProgram BindProgram(ProgramDeclarationSyntax program, IReadOnlyDictionary<string, string> overrides)
    {
        var constants = new Constants(_diagnostics, _parameters);
        foreach (var p in program.Parameters)
        {
            if (_parameters.ContainsKey(p.Name.Text))
            {
                _diagnostics.ReportDuplicateName(p.Name.Span, p.Name.Text);
                continue;
            }
            if (constants.Evaluate(p.Value) is { } value) _parameters[p.Name.Text] = value;
        }
        foreach (var (name, text) in overrides.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            if (!_parameters.TryGetValue(name, out var old))
            {
                _diagnostics.ReportInvalidOverride(program.Name.Span,
                    $"--set {name}: program {program.Name.Text} has no parameter '{name}'");
                continue;
            }
            if (!UnitGrammar.TryParseQuantity(text, out var value, out var error))
                _diagnostics.ReportInvalidOverride(program.Name.Span, $"--set {name}={text}: {error}");
            else if (value.Dimension != old.Dimension)
                _diagnostics.ReportInvalidOverride(program.Name.Span,
                    $"--set {name}={text}: {name} is {old.Dimension.Describe()}, but {text} is {value.Dimension.Describe()}");
            else _parameters[name] = value;
        }
        foreach (var name in _parameters.Keys) _scope[name] = _parameters[name];

        var body = BindBlock(program.Body);
        // Judged on the text, not on what bound: an output whose statement had an error was reported there, not missing.
        if (!program.Body.Any(HasOutput)) _diagnostics.ReportNoOutput(program.Name.Span, program.Name.Text);
        var firstOutput = Flatten(body).OfType<BoundOutput>().FirstOrDefault();
        var steps = Flatten(body).OfType<BoundRepeat>().FirstOrDefault()?.Count ?? 1;
        return new BoundProgram(program.Name.Text, _source, _target,
            _parameters.ToDictionary(p => p.Key, p => p.Value.Value), body, _asserts)
        {
            NameSpan = program.Name.Span,
            Tokens = (firstOutput?.Variable.Type.Rows ?? 1) * (double)steps,
            Notes = _target.Overheads.Concat(_notes).ToList(),
        };
    }

    private static IEnumerable<BoundStatement> Flatten(IEnumerable<BoundStatement> statements) => statements.SelectMany(s => s switch
    {
        BoundFor f => Flatten(f.Body).Prepend(s),
        BoundRepeat r => Flatten(r.Body).Prepend(s),
        BoundPhase p => Flatten(p.Body).Prepend(s),
        _ => [s],
    });

    private static bool HasOutput(StatementSyntax s) => s is OutputSyntax || s is ForSyntax f && f.Body.Any(HasOutput)
        || s is RepeatSyntax r && r.Body.Any(HasOutput) || s is PhaseSyntax p && p.Body.Any(HasOutput);

    private List<BoundStatement> BindBlock(IReadOnlyList<StatementSyntax> statements)
    {
        var bound = new List<BoundStatement>();
        foreach (var statement in statements)
            if (BindStatement(statement) is { } s) bound.Add(s);
        return bound;
    }

    private BoundStatement? BindStatement(StatementSyntax statement)
    {
        switch (statement)
        {
            case TensorDeclarationSyntax declaration:
                var declared = BindTensorDeclaration(declaration);
                // A broken declaration was reported; later uses of its name should not be reported again.
                if (declared is null) _scope.TryAdd(declaration.Name.Text, Poisoned.Instance);
                return declared;
            case LetSyntax let:
                return BindLet(let);
            case AssignmentSyntax assignment:
                return BindAssignment(assignment);
            case OutputSyntax output:
                return BindOutput(output);
            case ForSyntax loop:
                return BindFor(loop);
            case RepeatSyntax repeat:
                return BindRepeat(repeat);
            case LayerAssignmentSyntax layer:
                return BindLayerAssignment(layer);
            case PhaseSyntax phase:
                return BindPhase(phase);
            case BlockSyntax block:
                Declare(block.Name, new BlockSymbol(block, _scope.ToDictionary(s => s.Key, s => s.Value)));
                return null;
            case AssertSyntax assert:
                BindAssert(assert);
                return null;
            case PredictSyntax predict:
                BindPredict(predict);
                return null;
            default:
                throw new InvalidOperationException($"unexpected statement {statement.GetType().Name}");
        }
    }

    private BoundStatement? BindLet(LetSyntax let)
    {
        var value = BindTensor(let.Value, let.Memory, let.Chip);
        if (value is null)
        {
            // The name exists, only its value is broken: later uses should not report it again.
            _scope.TryAdd(let.Name.Text, Poisoned.Instance);
            return null;
        }
        // Where it lives is the placement stage's to decide (Sched.Compiler.Placement).
        var symbol = new TensorSymbol(let.Name.Text, TensorKind.Variable, value.Type, null, let.Name.Span);
        if (!Declare(let.Name, symbol)) return null;
        return new BoundAssignment(symbol, value, let.Span);
    }

    private BoundStatement? BindAssignment(AssignmentSyntax assignment)
    {
        if (!_scope.TryGetValue(assignment.Name.Text, out var found))
        {
            _diagnostics.ReportUnknownName(assignment.Name.Span, assignment.Name.Text, "variable", _scope.Keys);
            return null;
        }
        if (found is Poisoned) return null;
        if (found is not TensorSymbol { Kind: TensorKind.Variable } variable)
        {
            _diagnostics.ReportWrongKindOfName(assignment.Name.Span,
                $"'{assignment.Name.Text}' is not a let variable, so it cannot be assigned");
            return null;
        }
        var value = BindTensor(assignment.Value, assignment.Memory, assignment.Chip);
        if (value is null) return null;
        if (value.Type != variable.Type)
        {
            _diagnostics.ReportShapeMismatch(assignment.Value.Span, $"'{variable.Name}' is {variable.Type}, but the value is {value.Type}");
            return null;
        }
        return new BoundAssignment(variable, value, assignment.Span);
    }

    private BoundStatement? BindOutput(OutputSyntax output)
    {
        if (_loopDepth > 0)
        {
            _diagnostics.ReportInvalidValue(output.Span, "'output' belongs at the top level of the program, not inside a loop");
            return null;
        }
        if (Lookup(output.Name, "tensor") is not { } found) return null;
        if (found is not TensorSymbol symbol || symbol.Type.IsStacked)
        {
            _diagnostics.ReportNotATensor(output.Name.Span, $"'{output.Name.Text}' is not a tensor that can be an output");
            return null;
        }
        return new BoundOutput(symbol, output.Span);
    }

    private BoundStatement? BindTensorDeclaration(TensorDeclarationSyntax declaration)
    {
        var constants = new Constants(_diagnostics, _parameters);
        if (!DataTypeFacts.TryParse(declaration.Type.Dtype.Text, out var dtype))
        {
            _diagnostics.ReportUnknownDtype(declaration.Type.Dtype.Span, declaration.Type.Dtype.Text);
            return null;
        }
        var dims = declaration.Type.Dimensions.Select(d => constants.Count(d, "a dimension")).ToList();
        if (dims.Any(d => d is null)) return null;
        var rank = dims.Count;
        var kind = declaration.Kind switch { "weight" => TensorKind.Weight, "cache" => TensorKind.Cache, _ => TensorKind.Input };
        var allowed = kind != TensorKind.Input ? rank is >= 1 and <= 3 : rank is 1 or 2;
        if (!allowed)
        {
            _diagnostics.ReportUnsupportedRank(declaration.Type.Span, rank,
                kind != TensorKind.Input ? $"a {declaration.Kind} has rank 1 to 3 (rank 3 stacks layers)" : "an input has rank 1 or 2");
            return null;
        }
        var type = rank switch
        {
            1 => new TensorType(dtype, 1, dims[0]!.Value),
            2 => new TensorType(dtype, dims[0]!.Value, dims[1]!.Value),
            _ => new TensorType(dtype, dims[1]!.Value, dims[2]!.Value, dims[0]!.Value),
        };
        if (declaration.Memory is { } m && !IsMemory(m)) return null;
        var home = declaration.Memory?.Text;
        if (declaration.Chip is { } chip)
        {
            // A tensor declared on one chip of a group lives in that chip's memory (the index is a constant here).
            if (Pin(chip, declaration.Memory) is not ({ } index, true)) return null;
            home = _target.Groups[home!][(int)index.Evaluate(new Dictionary<LoopVariable, long>())].Memory;
        }
        if (declaration.EachChip is { } each && (!type.IsStacked || home is null || !_target.IsGroup(home)))
        {
            _diagnostics.ReportInvalidValue(each, $"'[*]' puts one layer of a stacked tensor on each chip of a group in turn; "
                + $"{declaration.Name.Text} {(type.IsStacked ? $"is not in a group of chips" : "is not stacked")}");
            return null;
        }
        var symbol = new TensorSymbol(declaration.Name.Text, kind, type, home, declaration.Name.Span)
            { OneLayerEachChip = declaration.EachChip is not null };
        return Declare(declaration.Name, symbol) ? new BoundTensorDeclaration(symbol) : null;
    }

    private BoundStatement? BindFor(ForSyntax loop)
    {
        var constants = new Constants(_diagnostics, _parameters);
        var lower = constants.Count(loop.Lower, "a loop bound", min: 0);
        var upper = constants.Count(loop.Upper, "a loop bound", min: 0);
        if (lower is null || upper is null) return null;
        var variable = new LoopVariable(loop.Variable.Text, loop.Variable.Span);
        if (!Declare(loop.Variable, variable)) return null;
        _loopRanges[variable] = (lower.Value, upper.Value);
        _loopDepth++;
        // A loop body is a scope: what it declares (its variable, its lets) is gone after it, so each loop may reuse names.
        var outer = _scope.Keys.ToHashSet();
        var body = BindBlock(loop.Body);
        _loopDepth--;
        _scope.Remove(loop.Variable.Text);
        foreach (var inner in _scope.Keys.Where(k => !outer.Contains(k)).ToList()) _scope.Remove(inner);
        return new BoundFor(variable, lower.Value, upper.Value, body, loop.Span);
    }

    private BoundStatement? BindLayerAssignment(LayerAssignmentSyntax syntax)
    {
        if (Lookup(syntax.Name, "cache") is not { } found) return null;
        if (found is not TensorSymbol { Kind: TensorKind.Cache, Type.IsStacked: true } cache)
        {
            _diagnostics.ReportWrongKindOfName(syntax.Name.Span, $"'{syntax.Name.Text}' is not a stacked cache; only a layer of a cache "
                + "(cache k : fp16[layers, rows, cols]) can be assigned");
            return null;
        }
        if (BindIndex(syntax.Index) is not { } index) return null;
        if (OutOfRange(index, cache.Type.Layers) is { } bad)
        {
            _diagnostics.ReportIndexOutOfRange(syntax.Index.Span, cache.Name, bad, cache.Type.Layers);
            return null;
        }
        if (BindTensor(syntax.Value, null) is not { } value) return null;
        if (value.Type != cache.Type.Layer)
        {
            _diagnostics.ReportShapeMismatch(syntax.Value.Span,
                $"a layer of '{cache.Name}' is {cache.Type.Layer}, but the value is {value.Type}");
            return null;
        }
        return new BoundLayerAssignment(cache, index, value, syntax.Span);
    }

    private BoundStatement? BindPhase(PhaseSyntax phase)
    {
        if (_loopDepth > 0 || _phase is not null)
        {
            _diagnostics.ReportInvalidValue(phase.Name.Span,
                "a phase is a part of the program at its top level, not inside a loop or phase");
            return null;
        }
        if (!_phases.Add(phase.Name.Text))
        {
            _diagnostics.ReportDuplicateName(phase.Name.Span, phase.Name.Text);
            return null;
        }
        _phase = phase.Name.Text;
        var body = BindBlock(phase.Body);
        _phase = null;
        var (first, last) = (_source.Location(phase.Span).Line, _source.Location(new TextSpan(phase.Span.End - 1, 1)).Line);
        return _boundPhases[phase.Name.Text] = new BoundPhase(phase.Name.Text, first, last, body, phase.Span);
    }

    private BoundStatement? BindRepeat(RepeatSyntax repeat)
    {
        if (_loopDepth > 0 || _repeats > 0)
        {
            _diagnostics.ReportInvalidValue(repeat.Span, "'repeat' is the program's steady-state step; it belongs at the top level, once");
            return null;
        }
        var count = new Constants(_diagnostics, _parameters).Count(repeat.Count, "a repeat count");
        if (count is null) return null;
        _repeats++;
        (_loopDepth, _inRepeat) = (_loopDepth + 1, true);
        var body = BindBlock(repeat.Body);
        (_loopDepth, _inRepeat) = (_loopDepth - 1, false);
        return new BoundRepeat(count.Value, body, repeat.Span);
    }

    /// <param name="chip">with a group of chips as the memory, the chip of it: <c>in lpu[k]</c></param>
    private BoundTensorExpression? BindTensor(ExpressionSyntax syntax, IdentifierSyntax? memory, ExpressionSyntax? chip = null)
    {
        if (memory is not null && !IsMemory(memory)) return null;
        if (chip is not null && syntax is not CallSyntax)
        {
            _diagnostics.ReportInvalidValue(chip.Span, "only an operation's result is placed on a chip; this value already has a home");
            return null;
        }
        switch (syntax)
        {
            case NameSyntax name:
            {
                if (Lookup(name.Name, "tensor") is not { } found) return null;
                // A stacked weight or cache is a value only one layer at a time (an operand, a let, a block's tensor argument).
                if (found is TensorSymbol { Type.IsStacked: true })
                {
                    _diagnostics.ReportNotATensor(name.Span, "a stacked weight must be indexed to one layer, e.g. w[l]");
                    return null;
                }
                if (found is TensorSymbol tensor)
                {
                    if (memory is not null)
                        _diagnostics.ReportInvalidValue(memory.Span,
                            $"'{name.Name.Text}' already lives in {tensor.Memory}; use an operation to place a new value");
                    return new BoundTensorReference(tensor, name.Span);
                }
                _diagnostics.ReportNotATensor(name.Span, $"'{name.Name.Text}' is {Describe(found)}, not a tensor");
                return null;
            }
            case IndexSyntax index:
            {
                if (index.Target is not NameSyntax weightName || Lookup(weightName.Name, "tensor") is not { } found) 
                {
                    if (index.Target is not NameSyntax) _diagnostics.ReportNotATensor(index.Target.Span,
                        "only a stacked weight can be indexed");
                    return null;
                }
                if (found is not TensorSymbol { Type.IsStacked: true } weight)
                {
                    _diagnostics.ReportNotATensor(index.Target.Span,
                        $"'{weightName.Name.Text}' is not a stacked weight (rank 3), so it cannot be indexed");
                    return null;
                }
                if (BindIndex(index.Index) is not { } i) return null;
                if (OutOfRange(i, weight.Type.Layers) is { } bad)
                {
                    _diagnostics.ReportIndexOutOfRange(index.Index.Span, weight.Name, bad, weight.Type.Layers);
                    return null;
                }
                return new BoundLayer(weight, i, index.Span);
            }
            case CallSyntax call:
                return BindCall(call, memory, chip);
            default:
                _diagnostics.ReportNotATensor(syntax.Span, "expected a tensor: a name, a layer of a weight, or an operation");
                return null;
        }
    }

    private BoundTensorExpression? BindCall(CallSyntax call, IdentifierSyntax? memory, ExpressionSyntax? chip = null)
    {
        if (BoundCollective.Names.ContainsKey(call.Callee.Text)) return BindCollective(call, memory ?? (SyntaxNode?)chip);
        if ((call.Chip ?? chip) is { } pinned && (_scope.GetValueOrDefault(call.Callee.Text) is BlockSymbol
            || call.Callee.Text == Moe.Name || call.Callee.Text == Gather.Name))
        {
            _diagnostics.ReportInvalidValue(pinned.Span, $"{call.Callee.Text} is several operations; pin each of them to a chip instead");
            return null;
        }
        if (_scope.GetValueOrDefault(call.Callee.Text) is BlockSymbol block) return BindBlockCall(call, block, memory);
        if (call.Callee.Text == Moe.Name) return BindMoe(call, memory);
        if (call.Callee.Text == Gather.Name) return BindGather(call, memory);
        if (OperationCatalogue.Find(call.Callee.Text) is not { Callable: true } operation)
        {
            _diagnostics.ReportUnknownOperation(call.Callee.Span, call.Callee.Text,
                _scope.Where(s => s.Value is BlockSymbol).Select(s => s.Key));
            return null;
        }
        if (!operation.Arities.Contains(call.Arguments.Count))
        {
            _diagnostics.ReportWrongArgumentCount(call.Span, call.Callee.Text, operation.Arities, call.Arguments.Count);
            return null;
        }
        if (BindSettings(call, operation.Name, operation.Settings) is not { } settings) return null;
        if (operation.Grows(settings) && !_inRepeat)
        {
            _diagnostics.ReportInvalidValue(call.Span, $"{operation.Name} grows by what earlier steps of a repeat made, and outside "
                + "'repeat N { … }' there are none: move it into the repeat, or leave out grows");
            return null;
        }
        var args = call.Arguments.Select(a => BindTensor(a, null)).ToList();
        if (args.Any(a => a is null)) return null;
        var operands = args.Select(a => a!).ToList();
        var shapes = operands.Select(o => new Shape(o.Type.Dtype, o.Type.Rows, o.Type.Cols)).ToArray();
        var shape = operation.Result(new Call(shapes, settings, _target.TileWidth), out var error);
        if (error is not null)
        {
            if (error.Dtype) _diagnostics.ReportDtypeMismatch(call.Span, error.Message);
            else _diagnostics.ReportShapeMismatch(call.Span, error.Message);
            return null;
        }
        var type = new TensorType(shape.Dtype, shape.Rows, shape.Cols);
        var buffer = SmallestBuffer(operation.Unit, call.Unit?.Text);
        settings = [.. operation.Resolve(new Call(shapes, settings, _target.TileWidth), buffer)];
        var rowChunk = operation.RowChunk(new Call(shapes, settings, _target.TileWidth), buffer);

        if (call.Unit is { } unit && !_target.Pools.Contains(unit.Text) && !_target.IsGroup(unit.Text))
        {
            if (_target.Machine.MemoryIndex(unit.Text) >= 0)
                _diagnostics.ReportWrongKindOfName(unit.Span, $"'{unit.Text}' is a memory; 'on' names compute units");
            else _diagnostics.ReportUnknownName(unit.Span, unit.Text, "compute unit", _target.Pools.Concat(_target.Groups.Keys));
            return null;
        }
        // A matrix-matrix product needs matrix units; a vector unit runs matrix-vector products (one row, as PNM devices do), and a
        // matrix unit may run vector work (a GPU's SMs run both).
        if (call.Unit is { } on && operation.Unit == UnitKind.Matrix && operands[0].Type.Rows > 1
            && _target.Machine.Units.Where(u => u.Pool == on.Text).ToList() is { Count: > 0 } pool
            && pool.All(u => u.Kind == UnitKind.Vector))
        {
            _diagnostics.ReportWrongKindOfName(on.Span, $"{operation.Name} of {operands[0].Type.Rows} rows needs a matrix unit, and "
                + $"'{on.Text}' is a vector unit (it runs matrix-vector products, one row)");
            return null;
        }
        var (poolChip, poolOk) = Pin(call.Chip, call.Unit);
        var (memoryChip, memoryOk) = poolOk ? Pin(chip, memory) : (null, false);
        if (!poolOk || !memoryOk) return null;
        // Units and memories left out are chosen, and links checked, by the placement stage (Sched.Compiler.Placement).
        return new BoundOperation(operation.Opcode, operands, call.Unit?.Text, memory?.Text, type, call.Span)
        {
            MemorySpan = memory?.Span,
            Settings = settings,
            RowChunk = rowChunk,
            PoolChip = poolChip,
            MemoryChip = memoryChip,
        };
    }

    /// <summary>The call's named settings, checked against the operation's, in its order with defaults filled in.</summary>
    /// <summary>The smallest buffer of the units an operation may run on (a pinned pool's, else those of its kind): what settings
    /// that depend on the buffer are chosen for, wherever placement puts the work.</summary>
    private long SmallestBuffer(UnitKind kind, string? pool)
    {
        var units = _target.Machine.Units.Where(u => pool is null ? u.Kind == kind : u.Pool == pool).ToList();
        return (units.Count > 0 ? units : _target.Machine.Units).Select(u => u.Buffer).DefaultIfEmpty(long.MaxValue).Min();
    }

    private long[]? BindSettings(CallSyntax call, string what, IReadOnlyList<Setting> settings)
    {
        var values = settings.Select(s => s.Default).ToArray();
        var given = new HashSet<string>();
        var ok = true;
        foreach (var named in call.Settings)
        {
            var index = settings.ToList().FindIndex(s => s.Name == named.Name.Text);
            if (index < 0)
            {
                _diagnostics.ReportUnknownSetting(named.Name.Span, what, named.Name.Text, settings.Select(s => s.Name).ToList());
                ok = false;
                continue;
            }
            if (!given.Add(named.Name.Text))
            {
                _diagnostics.ReportDuplicateName(named.Name.Span, named.Name.Text);
                ok = false;
                continue;
            }
            var setting = settings[index];
            var value = new Constants(_diagnostics, _parameters).Count(named.Value, $"{what}'s {setting.Name}",
                min: (int)Math.Clamp(setting.Min, int.MinValue, 0));
            if (value is null) { ok = false; continue; }
            if (value < setting.Min || value > setting.Max)
            {
                _diagnostics.ReportInvalidValue(named.Value.Span,
                    $"{what}'s {setting.Name} ({setting.Meaning}) must be from {setting.Min} to {setting.Max}, not {value}");
                ok = false;
                continue;
            }
            values[index] = value.Value;
        }
        return ok ? values : null;
    }

    // Blocks calling blocks deeper than this are taken for unbounded recursion.
    private const int MaxBlockDepth = 32;
    private int _blockDepth;

    /// <summary>
    /// Inlines a block: each parameter is bound to its argument (a loop variable, number or stacked weight by name; else a tensor,
    /// assigned to a fresh variable), the body is bound in the scope the block was declared in plus itself and its parameters
    /// (lexical scope: a caller's locals are not seen), and the caller's scope comes back as it was.
    /// </summary>
    private BoundBlockCall? BindBlockCall(CallSyntax call, BlockSymbol symbol, IdentifierSyntax? memory)
    {
        var block = symbol.Syntax;
        if (call.Arguments.Count != block.Parameters.Count || call.Settings.Count > 0 || call.Unit is not null)
        {
            if (call.Unit is { } unit) _diagnostics.ReportInvalidValue(unit.Span, $"a block runs where its own operations say; '{
                block.Name.Text}' takes no 'on'");
            else _diagnostics.ReportWrongArgumentCount(call.Span, block.Name.Text, [block.Parameters.Count],
                call.Arguments.Count + call.Settings.Count);
            return null;
        }
        if (_blockDepth >= MaxBlockDepth)
        {
            _diagnostics.ReportTooLarge(call.Span,
                $"blocks call blocks more than {MaxBlockDepth} deep here; does '{block.Name.Text}' call itself?");
            return null;
        }
        var bindings = new List<(string Name, object Value)>();
        var body = new List<BoundStatement>();
        foreach (var (parameter, argument) in block.Parameters.Zip(call.Arguments))
        {
            var found = argument is NameSyntax n ? _scope.GetValueOrDefault(n.Name.Text) : null;
            // A loop variable, a number or a stacked weight is passed by name: the body indexes it (w[l]) as the caller would.
            if (found is LoopVariable or Quantity or TensorSymbol { Type.IsStacked: true }) bindings.Add((parameter.Text, found));
            else if (argument is LiteralSyntax or BinarySyntax or UnarySyntax)
            {
                if (new Constants(_diagnostics, _parameters).Evaluate(argument) is not { } q) return null;
                bindings.Add((parameter.Text, q));
            }
            else if (BindTensor(argument, null) is { } value)
            {
                var tensor = new TensorSymbol(parameter.Text, TensorKind.Variable, value.Type, null, parameter.Span);
                body.Add(new BoundAssignment(tensor, value, argument.Span));
                bindings.Add((parameter.Text, tensor));
            }
            else return null;
        }
        var saved = _scope.ToDictionary(s => s.Key, s => s.Value);
        var savedParameters = _parameters.ToDictionary(p => p.Key, p => p.Value);
        _scope.Clear();
        foreach (var (k, v) in symbol.Scope) _scope[k] = v;
        _scope[block.Name.Text] = symbol;
        foreach (var (name, value) in bindings)
        {
            _scope[name] = value;
            if (value is Quantity q) _parameters[name] = q;
            else _parameters.Remove(name);
        }
        _blockDepth++;
        _loopDepth++;
        var errors = _diagnostics.Count;
        body.AddRange(BindBlock(block.Body));
        var result = _diagnostics.Count == errors ? BindTensor(block.Result, memory) : null;
        _loopDepth--;
        _blockDepth--;
        // The caller's names come back as they were: parameters and what the body declared are gone.
        _scope.Clear();
        foreach (var (k, v) in saved) _scope[k] = v;
        _parameters.Clear();
        foreach (var (k, v) in savedParameters) _parameters[k] = v;
        return result is null || _diagnostics.Count > errors ? null : new BoundBlockCall(body, result, call.Span);
    }

    /// <summary>
    /// An index outside [0, layers) that the index takes somewhere in its loops, tried where each loop variable is at either end
    /// of its range (exact for sums and multiples of loop variables; a loop that never runs indexes nothing); null if none found.
    /// </summary>
    private long? OutOfRange(BoundIndex index, long layers)
    {
        var variables = new List<LoopVariable>();
        void Collect(BoundIndex i)
        {
            if (i is BoundIndexVariable v && !variables.Contains(v.Variable)) variables.Add(v.Variable);
            if (i is BoundIndexBinary b) { Collect(b.Left); Collect(b.Right); }
        }
        Collect(index);
        if (variables.Count > 8 || variables.Any(v => !_loopRanges.TryGetValue(v, out var r) || r.Upper <= r.Lower)) return null;
        for (var corner = 0; corner < 1 << variables.Count; corner++)
        {
            var at = variables.Select((v, k) => (v, (corner >> k & 1) == 0 ? _loopRanges[v].Lower : _loopRanges[v].Upper - 1))
                .ToDictionary(p => p.v, p => p.Item2);
            long value;
            try { value = index.Evaluate(at); }
            catch (DivideByZeroException) { continue; }
            if (value < 0 || value >= layers) return value;
        }
        return null;
    }

    private BoundIndex? BindIndex(ExpressionSyntax syntax)
    {
        switch (syntax)
        {
            case NameSyntax name when _scope.TryGetValue(name.Name.Text, out var found) && found is LoopVariable v:
                return new BoundIndexVariable(v, name.Span);
            case BinarySyntax { Operator: "+" or "-" or "*" or "/" or "%" } b:
                var left = BindIndex(b.Left);
                var right = BindIndex(b.Right);
                return left is null || right is null ? null : new BoundIndexBinary(left, b.Operator[0], right, b.Span);
            default:
                var constants = new Constants(_diagnostics, _parameters);
                if (constants.Evaluate(syntax) is not { } q) return null;
                if (q.Dimension != Dimension.None || q.Value != Math.Floor(q.Value))
                {
                    _diagnostics.ReportInvalidValue(syntax.Span, "an index must be a whole number");
                    return null;
                }
                return new BoundIndexConstant((long)q.Value, syntax.Span);
        }
    }

    private void BindAssert(AssertSyntax assert)
    {
        if (assert.Condition is not BinarySyntax { Operator: "<" or "<=" or ">" or ">=" or "==" or "!=" } comparison)
        {
            _diagnostics.ReportNotAContractMetric(assert.Condition.Span,
                "an assert compares two values, e.g. 'assert cycles <= 1.05 * bound;'");
            return;
        }
        var left = BindMetric(comparison.Left);
        var right = BindMetric(comparison.Right);
        if (left is null || right is null) return;
        if (!Comparable(left.Value.Dimension, right.Value.Dimension))
        {
            _diagnostics.ReportDimensionMismatch(comparison.OperatorSpan, comparison.Operator, left.Value.Dimension, right.Value.Dimension);
            return;
        }
        var op = comparison.Operator switch
        {
            "<" => Comparison.Less,
            "<=" => Comparison.LessOrEqual,
            ">" => Comparison.Greater,
            ">=" => Comparison.GreaterOrEqual,
            "==" => Comparison.Equal,
            _ => Comparison.NotEqual,
        };
        var text = _source.Text.Substring(assert.Condition.Span.Start, assert.Condition.Span.Length);
        _asserts.Add(new BoundAssert(text, left.Value.Expression, op, right.Value.Expression, _source.Location(assert.Span),
            UnitOf(left.Value.Dimension, right.Value.Dimension)));
    }

    /// <summary>A prediction is bound as a contract that always holds: both sides a metric of one dimension.</summary>
    private void BindPredict(PredictSyntax predict)
    {
        var measured = BindMetric(predict.Measured);
        var published = BindMetric(predict.Published);
        if (measured is null || published is null) return;
        if (!Comparable(measured.Value.Dimension, published.Value.Dimension))
        {
            _diagnostics.ReportDimensionMismatch(predict.Published.Span, "against", measured.Value.Dimension,
                published.Value.Dimension);
            return;
        }
        var text = _source.Text.Substring(predict.Span.Start, predict.Span.Length).TrimEnd(';').Trim();
        _asserts.Add(new BoundAssert(text["predict".Length..].Trim(), measured.Value.Expression, Comparison.Against,
            published.Value.Expression, _source.Location(predict.Span), UnitOf(measured.Value.Dimension, published.Value.Dimension)));
    }

    private static string UnitOf(Dimension left, Dimension right) => (left == Dimension.None ? right : left) switch
    {
        Dimension.Time => "s", Dimension.Bytes => "B", Dimension.Bandwidth => "B/s", Dimension.Frequency => "/s", _ => "",
    };

    private (BoundMetricExpression Expression, Dimension Dimension)? BindMetric(ExpressionSyntax syntax)
    {
        switch (syntax)
        {
            case NameSyntax { Name.Text: "cycles" } n: return (new BoundMetricName(Metric.Cycles, n.Span), Dimension.Cycles);
            case NameSyntax { Name.Text: "bound" } n: return (new BoundMetricName(Metric.Bound, n.Span), Dimension.Cycles);
            case NameSyntax { Name.Text: "time" } n: return (new BoundMetricName(Metric.Time, n.Span), Dimension.Time);
            case NameSyntax { Name.Text: "ttft" or "tpot" } n: return BindPhaseMetric(n);
            case NameSyntax { Name.Text: "tokens_per_s" } n:
                return (new BoundMetricName(Metric.TokensPerSecond, n.Span), Dimension.Frequency);
            case CallSyntax call: return BindMetricOf(call);
            case NameSyntax n when _parameters.TryGetValue(n.Name.Text, out var p): return Number(p, n.Span);
            case NameSyntax n:
                var near = Suggestion.For(n.Name.Text, ContractNames.Concat(_parameters.Keys));
                _diagnostics.ReportNotAContractMetric(n.Span,
                    $"'{n.Name.Text}' is not something a contract can measure{near}; use {string.Join(", ", ContractNames)} or a "
                    + "parameter");
                return null;
            case LiteralSyntax literal:
                return Constants.Literal(literal, _diagnostics) is { } q ? Number(q, literal.Span) : null;
            case UnarySyntax unary:
                return BindMetric(unary.Operand) is { } operand ? (new BoundMetricNegation(operand.Expression, unary.Span),
                    operand.Dimension) : null;
            case BinarySyntax { Operator: "+" or "-" or "*" or "/" } b:
            {
                var left = BindMetric(b.Left);
                var right = BindMetric(b.Right);
                if (left is null || right is null) return null;
                var (l, r) = (left.Value.Dimension, right.Value.Dimension);
                var dimension = Combine(b.Operator, l, r);
                if (dimension is null)
                {
                    _diagnostics.ReportDimensionMismatch(b.OperatorSpan, b.Operator, l, r);
                    return null;
                }
                return (new BoundMetricBinary(left.Value.Expression, b.Operator[0], right.Value.Expression, b.Span), dimension.Value);
            }
            default:
                _diagnostics.ReportNotAContractMetric(syntax.Span, $"a contract speaks of numbers and {string.Join(", ", ContractNames)}");
                return null;
        }
    }

    /// <summary>ttft: when phase prefill ends (its last step makes the first token); tpot: what each decode step adds after it.</summary>
    private (BoundMetricExpression, Dimension)? BindPhaseMetric(NameSyntax n)
    {
        var prefill = _boundPhases.GetValueOrDefault("prefill");
        var decode = _boundPhases.GetValueOrDefault("decode");
        var ttft = n.Name.Text == "ttft";
        if (prefill is null || !ttft && decode is null)
        {
            _diagnostics.ReportNotAContractMetric(n.Span, $"{n.Name.Text} measures {(ttft ? "when 'phase prefill { … }' ends" :
                "what 'phase decode { … }' adds after 'phase prefill { … }'")}; declare the phase{(ttft ? "" : "s")} " +
                "before the assert");
            return null;
        }
        if (ttft) return (new BoundMetricPhase(prefill.FirstLine, prefill.LastLine, null, null, 1, n.Span), Dimension.Time);
        var steps = Flatten(decode!.Body).OfType<BoundRepeat>().FirstOrDefault()?.Count ?? 1;
        return (new BoundMetricPhase(decode.FirstLine, decode.LastLine, prefill.FirstLine, prefill.LastLine, steps, n.Span),
            Dimension.Time);
    }

    /// <summary><c>time(PHASE)</c>: what a phase adds after the phase before it (phases run in order; the first from zero).</summary>
    private (BoundMetricExpression, Dimension)? BindPhaseTime(CallSyntax call)
    {
        if (call.Arguments.Count != 1 || call.Settings.Count > 0)
        {
            _diagnostics.ReportWrongArgumentCount(call.Span, "time", [1], call.Arguments.Count + call.Settings.Count);
            return null;
        }
        var order = _boundPhases.Values.OrderBy(p => p.FirstLine).ToList();
        if (call.Arguments[0] is not NameSyntax { Name: var name } || order.FindIndex(p => p.Name == name.Text) is var at && at < 0)
        {
            var text = call.Arguments[0] is NameSyntax n ? n.Name.Text : "this";
            _diagnostics.ReportUnknownName(call.Arguments[0].Span, text, "phase", order.Select(p => p.Name));
            return null;
        }
        var (phase, before) = (order[at], at > 0 ? order[at - 1] : null);
        return (new BoundMetricPhase(phase.FirstLine, phase.LastLine, before?.FirstLine, before?.LastLine, 1, call.Span), Dimension.Time);
    }

    private static readonly string[] ContractNames = ["cycles", "time", "bound", "tokens_per_s", "ttft", "tpot", "utilization(UNIT)",
        "traffic(MEMORY)", "bytes(FROM, TO)", "time(PHASE)"];

    /// <summary>
    /// The dimension of l OP r in a contract: times, rates, bytes and bandwidths combine as physics says; null if they do not.
    /// </summary>
    private static Dimension? Combine(string op, Dimension l, Dimension r) => (op, l, r) switch
    {
        ("+" or "-", _, _) when Comparable(l, r) => l == Dimension.None ? r : l,
        ("*", Dimension.None, _) => r,
        ("*", _, Dimension.None) => l,
        ("*", Dimension.Time, Dimension.Frequency) or ("*", Dimension.Frequency, Dimension.Time) => Dimension.None,
        ("*", Dimension.Bandwidth, Dimension.Time) or ("*", Dimension.Time, Dimension.Bandwidth) => Dimension.Bytes,
        ("/", _, Dimension.None) => l,
        ("/", _, _) when l == r => Dimension.None,
        ("/", Dimension.None, Dimension.Time) => Dimension.Frequency,
        ("/", Dimension.None, Dimension.Frequency) => Dimension.Time,
        ("/", Dimension.Bytes, Dimension.Time) => Dimension.Bandwidth,
        ("/", Dimension.Bytes, Dimension.Bandwidth) => Dimension.Time,
        _ => null,
    };

    /// <summary>
    /// <c>utilization(UNIT)</c>, <c>traffic(MEMORY)</c>, <c>bytes(FROM, TO)</c>: what the replay counted of named components.
    /// </summary>
    private (BoundMetricExpression, Dimension)? BindMetricOf(CallSyntax call)
    {
        if (call.Callee.Text == "time") return BindPhaseTime(call);
        var machine = _target.Machine;
        var units = machine.Units.Select(u => u.Name).Concat(_target.Pools).Distinct().ToList();
        var memories = machine.Memories.Select(m => m.Name).ToList();
        (IReadOnlyList<string>[] Kinds, Dimension Dimension, string What)? shape = call.Callee.Text switch
        {
            "utilization" => ([units], Dimension.None, "a compute unit"),
            "traffic" => ([memories], Dimension.Bytes, "a memory"),
            "bytes" => ([[.. memories, .. units], [.. memories, .. units]], Dimension.Bytes, "a memory or unit"),
            _ => null,
        };
        if (shape is not { } s)
        {
            _diagnostics.ReportNotAContractMetric(call.Callee.Span, $"'{call.Callee.Text}' is not something a contract can measure{
                Suggestion.For(call.Callee.Text, ["utilization", "traffic", "bytes", "time"])}; use {string.Join(", ", ContractNames)}");
            return null;
        }
        if (call.Arguments.Count != s.Kinds.Length || call.Settings.Count > 0)
        {
            _diagnostics.ReportWrongArgumentCount(call.Span, call.Callee.Text, [s.Kinds.Length],
                call.Arguments.Count + call.Settings.Count);
            return null;
        }
        var names = new List<string>();
        for (var i = 0; i < s.Kinds.Length; i++)
        {
            if (call.Arguments[i] is not NameSyntax { Name: var name } || !s.Kinds[i].Contains(name.Text))
            {
                var text = call.Arguments[i] is NameSyntax n ? n.Name.Text : "this";
                _diagnostics.ReportUnknownName(call.Arguments[i].Span, text, s.What, s.Kinds[i]);
                return null;
            }
            names.Add(name.Text);
        }
        return (new BoundMetricOf(call.Callee.Text, names, call.Span), s.Dimension);
    }

    /// <summary>A plain number beside cycles counts cycles (<c>cycles &lt;= 3000</c>); other dimensions must match.</summary>
    private static bool Comparable(Dimension l, Dimension r) =>
        l == r || l == Dimension.Cycles && r == Dimension.None || l == Dimension.None && r == Dimension.Cycles
        || l == Dimension.Frequency && r == Dimension.None || l == Dimension.None && r == Dimension.Frequency;

    private (BoundMetricExpression, Dimension)? Number(Quantity q, TextSpan span)
    {
        if (q.Dimension is Dimension.None or Dimension.Cycles or Dimension.Time or Dimension.Bytes or Dimension.Bandwidth
            or Dimension.Frequency)
            return (new BoundMetricNumber(q.Value, span), q.Dimension);
        _diagnostics.ReportNotAContractMetric(span, $"a contract compares plain numbers, cycles, times, bytes, bandwidths and rates, not {
            q.Dimension.Describe()}");
        return null;
    }

    /// <summary>
    /// <c>allreduce(part) on lpu</c> or <c>allgather(part)</c>: part is a stacked tensor with one layer a chip of the group (the
    /// first group when 'on' is left out), layer k made on chip k.
    /// </summary>
    private BoundCollective? BindCollective(CallSyntax call, SyntaxNode? placed)
    {
        var name = call.Callee.Text;
        var kind = BoundCollective.Names[name];
        if (placed is not null || call.Chip is not null)
        {
            _diagnostics.ReportInvalidValue((placed ?? call.Chip)!.Span, $"the result of {name} is on the chips of its group; it takes "
                + "no 'in' and no chip");
            return null;
        }
        if (call.Arguments.Count != 1 || call.Settings.Count > 0)
        {
            _diagnostics.ReportWrongArgumentCount(call.Span, name, [1], call.Arguments.Count + call.Settings.Count);
            return null;
        }
        var group = call.Unit?.Text ?? _target.Groups.Keys.FirstOrDefault();
        if (group is null || !_target.IsGroup(group))
        {
            _diagnostics.ReportWrongKindOfName(call.Unit?.Span ?? call.Callee.Span, $"{name} runs over a group of chips"
                + (_target.Groups.Count > 0 ? $" ({string.Join(", ", _target.Groups.Keys)})" : ", and this target has none"));
            return null;
        }
        if (kind == CollectiveKind.Broadcast)
            return BindTensor(call.Arguments[0], null) is { } source
                ? new BoundCollective(kind, null, source, group, source.Type, call.Span) : null;
        if (call.Arguments[0] is not NameSyntax argument || Lookup(argument.Name, "tensor") is not { } found) return null;
        if (found is not TensorSymbol { Type.IsStacked: true } parts)
        {
            _diagnostics.ReportNotATensor(argument.Span, $"{name} takes a stacked tensor with one layer a chip, e.g. 'cache part : "
                + "fp16[4, 1, 4096] in lpu[*];' filled by 'part[k] = … on lpu[k];'");
            return null;
        }
        var chips = _target.Groups[group].Count;
        if (parts.Type.Layers > chips)
        {
            _diagnostics.ReportShapeMismatch(argument.Span, $"{name} takes one part a chip, and {group} has {chips} chips; "
                + $"{parts.Name} has {parts.Type.Layers} layers");
            return null;
        }
        var layer = parts.Type.Layer;
        if (kind == CollectiveKind.AllGather && layer.Cols % _target.TileWidth != 0)
        {
            _diagnostics.ReportShapeMismatch(argument.Span, $"allgather puts whole tiles side by side: {parts.Name}'s {layer.Cols} "
                + $"columns must be a multiple of the tile width {_target.TileWidth}");
            return null;
        }
        var type = kind == CollectiveKind.AllGather ? new TensorType(layer.Dtype, layer.Rows, layer.Cols * chips) : layer;
        return new BoundCollective(kind, parts, null, group, type, call.Span);
    }

    /// <summary>The chip index of <c>on lpu[k]</c> or <c>in lpu[k]</c> (none when not given); not ok after a diagnostic.</summary>
    private (BoundIndex? Chip, bool Ok) Pin(ExpressionSyntax? index, IdentifierSyntax? group)
    {
        if (index is null) return (null, true);
        if (group is null || !_target.IsGroup(group.Text))
        {
            _diagnostics.ReportWrongKindOfName(index.Span, $"'{group?.Text}' is not a group of chips; an index picks one chip of a "
                + $"group ({(_target.Groups.Count > 0 ? string.Join(", ", _target.Groups.Keys) : "this target has none")})");
            return (null, false);
        }
        if (BindIndex(index) is not { } bound) return (null, false);
        var count = _target.Groups[group.Text].Count;
        if (OutOfRange(bound, count) is { } bad)
        {
            _diagnostics.ReportIndexOutOfRange(index.Span, group.Text, bad, count, "chips");
            return (null, false);
        }
        return (bound, true);
    }

    private bool IsMemory(IdentifierSyntax name)
    {
        if (_target.Machine.MemoryIndex(name.Text) >= 0 || _target.IsGroup(name.Text)) return true;
        if (_target.Pools.Contains(name.Text))
            _diagnostics.ReportWrongKindOfName(name.Span, $"'{name.Text}' is a compute unit; 'in' names a memory");
        else _diagnostics.ReportUnknownName(name.Span, name.Text, "memory", _target.Machine.Memories.Select(m =>
            m.Name).Concat(_target.Groups.Keys));
        return false;
    }

    private object? Lookup(IdentifierSyntax name, string what)
    {
        if (_scope.TryGetValue(name.Text, out var found)) return found is Poisoned ? null : found;
        _diagnostics.ReportUnknownName(name.Span, name.Text, what, _scope.Keys);
        return null;
    }

    private bool Declare(IdentifierSyntax name, object symbol)
    {
        if (_scope.TryAdd(name.Text, symbol)) return true;
        _diagnostics.ReportDuplicateName(name.Span, name.Text);
        return false;
    }

    /// <summary>A name whose declaration had errors already reported.</summary>
    private sealed class Poisoned
    {
        public static readonly Poisoned Instance = new();
    }

    private static string Describe(object symbol) => symbol switch
    {
        LoopVariable => "a loop variable",
        Quantity => "a parameter",
        _ => "something else",
    };
}
