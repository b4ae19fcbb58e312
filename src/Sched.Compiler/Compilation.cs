using Sched.Compiler.Allocation;
using Sched.Compiler.Emit;
using Sched.Compiler.Evaluation;
using Sched.Compiler.Lowering;
using Sched.Compiler.Placement;
using Sched.Compiler.Scheduling;
using Sched.Compiler.Verification;
using Sched.Language.Binding;
using Sched.Language.Diagnostics;
using Sched.Language.Syntax;
using Sched.Language.Text;
using Sched.Runtime.Operations;
using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Compiler;

/// <summary>What the user asks of one compilation: parameter overrides and whether to check values.</summary>
/// <param name="StoredSchedule">A schedule's text form to check instead of scheduling anew (<c>sched verify --schedule</c>).</param>
/// <param name="FiberInDeclarationOrder">lay fibre loops out by declaration instead of consumption (an experiment: it shows what the
/// layout is worth).</param>
public sealed record CompileOptions(IReadOnlyDictionary<string, string>? Overrides = null,
    FunctionalMode Functional = FunctionalMode.Auto, string? StoredSchedule = null, bool FiberInDeclarationOrder = false,
    string? StoredSchedulePath = null);

/// <summary>Auto checks values when the program is small enough for the reference interpreter to be quick.</summary>
public enum FunctionalMode { Auto, On, Off }

/// <summary>Everything a compilation produced; later stages are null when an earlier one reported errors.</summary>
public sealed record CompileResult(
    IReadOnlyList<Diagnostic> Diagnostics,
    BoundProgram? Program,
    LoweredProgram? Lowered,
    Schedule? Schedule,
    string AssemblyName,
    byte[]? Assembly,
    long[]? Starts = null)
{
    /// <summary>Where a stored schedule is not the program's (empty when scheduling anew); the run reports them first.</summary>
    public IReadOnlyList<Runtime.Verification.Violation> Mismatches { get; init; } = [];

    public bool Success => Assembly is not null;
}

/// <summary>
/// The one entry point of the pipeline: Parse → Bind → Place → Lower → Solve → Allocate → Emit → Compile.
/// Each stage is a static call; diagnostics travel alongside and stop the pipeline at the first stage with errors.
/// </summary>
public static class Compilation
{
    // Reference evaluation above this many FLOPs would make `sched verify` slow; such programs check timing only.
    private const double AutoFunctionalFlops = 5e7;

    public static CompileResult Compile(SourceText source, CompileOptions? options = null, bool emit = true)
    {
        options ??= new CompileOptions();
        var stem = Path.GetFileNameWithoutExtension(source.FileName);
        var assemblyName = Emitter.Sanitize(stem is { Length: > 0 } ? stem : "program").TrimStart('@');
        var binding = OnLargeStack(() => Binder.Bind(SyntaxTree.Parse(source), options.Overrides));
        var diagnostics = new DiagnosticBag(source);
        diagnostics.AddRange(binding.Diagnostics);
        if (binding.Program is not { } program) return new CompileResult(diagnostics.ToList(), null, null, null, assemblyName, null);

        if (options.StoredSchedule is { } stored) return WithStoredSchedule(source, options, program, stored, diagnostics, assemblyName);

        var placed = Placer.Place(program, diagnostics);
        var lowered = placed is null ? null : Lowerer.Lower(placed, diagnostics);
        if (lowered is not null) lowered = ReadingOrder.LayOut(program.Target.Machine, lowered, diagnostics,
            options.FiberInDeclarationOrder);
        if (lowered is null) return new CompileResult(diagnostics.ToList(), program, null, null, assemblyName, null);

        // A fixed number of passes (no wall-clock cap) keeps the schedule, and so the assembly, deterministic.
        var solverOptions = new SolverOptions(Passes: SamplingPasses(lowered.Problem.Count), TimeLimitMs: int.MaxValue);
        var notes = lowered.Notes.ToList();
        long[] starts;
        LowerBound bound;
        var stepped = lowered.Repeat is { } region ? StepScheduler.Solve(lowered.Problem, region, solverOptions) : null;
        if (stepped is not null && lowered.Repeat is { } repeat)
        {
            starts = stepped.Starts;
            bound = LowerBound.Of(lowered.Problem);
            var m = stepped.Modulo;
            notes.Add($"repeat x{repeat.Iterations}: initiation interval {m.Interval} cycles (ResMII {m.ResMii}, RecMII {m.RecMii}); "
                + $"one step alone takes {stepped.IterationLength} cycles");
        }
        else
        {
            // A step with no modulo schedule (a bounded buffer's waits differ from step to step) is scheduled as one program.
            if (lowered.Repeat is { } unpipelined)
                notes.Add($"repeat x{unpipelined.Iterations}: no modulo schedule (the steps differ or cannot overlap within the "
                    + "interval limit): scheduled as one program, steps overlapping where their dependences allow");
            var solved = Solver.Solve(lowered.Problem, solverOptions);
            if (solved.Solution is not { } solution)
            {
                diagnostics.ReportNoSchedule(lowered.Repeat?.Span ?? program.NameSpan, lowered.Repeat is null
                    ? solved.Failure ?? "no schedule found"
                    : "the repeated step has no modulo schedule (its steps cannot overlap within the interval limit, or a fibre "
                        + "tap's phase cannot be kept in every step), nor do its steps written out; " + (solved.Failure ?? ""));
                return new CompileResult(diagnostics.ToList(), program, lowered, null, assemblyName, null);
            }
            starts = solution.Starts;
            bound = solution.Bound;
        }
        var tiles = MemoryAllocator.Allocate(program.Target.Machine, lowered, starts, diagnostics);
        if (tiles is null) return new CompileResult(diagnostics.ToList(), program, lowered, null, assemblyName, null);

        notes.AddRange(CollectiveNotes(program.Target.Machine, lowered, starts));
        var roofline = Roofline.Of(program.Target.Machine, lowered.Instructions);
        bound = bound.Max(new LowerBound(roofline.Cycles, roofline.Kind));
        var outputs = ProgramOutputs(program, lowered, options.Functional);
        var instructions = lowered.Instructions.Select((ins, i) => ins.WithCycle(starts[i]))
            .OrderBy(i => i.Cycle).ToList();   // OrderBy is stable: ties keep lowering order
        var schedule = new Schedule(program.Name, Path.GetFileName(source.FileName), tiles, instructions, outputs,
            bound.Cycles, bound.Kind, notes);
        if (!emit) return new CompileResult(diagnostics.ToList(), program, lowered, schedule, assemblyName, null, starts);

        var assembly = Emit(program, assemblyName, schedule);
        return new CompileResult(diagnostics.ToList(), program, lowered, schedule, assemblyName, assembly, starts);
    }

    /// <summary>
    /// Emits an assembly around a stored schedule read against the program's current target; nothing is rescheduled. The
    /// tiles, outputs and work are the program's (placed and lowered again); the file supplies only its choices.
    /// </summary>
    private static CompileResult WithStoredSchedule(SourceText source, CompileOptions options, BoundProgram program, string stored,
        DiagnosticBag diagnostics, string assemblyName)
    {
        CompileResult Failed() => new(diagnostics.ToList(), program, null, null, assemblyName, null);
        var placed = Placer.Place(program, diagnostics);
        var lowered = placed is null ? null : Lowerer.Lower(placed, diagnostics);
        if (lowered is not null) lowered = ReadingOrder.LayOut(program.Target.Machine, lowered, diagnostics);
        if (lowered is null) return Failed();
        var checkedFile = StoredSchedule.Check(program.Target.Machine, lowered, ProgramOutputs(program, lowered, options.Functional),
            stored,
            options.StoredSchedulePath ?? "stored schedule");
        if (checkedFile.Unreadable is { } why)
        {
            diagnostics.ReportBadStoredSchedule(new TextSpan(0, 0), why);
            return Failed();
        }
        var (schedule, mismatches) = (checkedFile.Schedule!, checkedFile.Mismatches);
        var assembly = Emit(program, assemblyName, schedule);
        return new CompileResult(diagnostics.ToList(), program, lowered, schedule, assemblyName, assembly) { Mismatches = mismatches };
    }

    /// <summary>
    /// The program's outputs with what they must hold: their symbols always, their values when functional mode is on (or auto
    /// and the program's own FLOPs are few — never what a stored file claims).
    /// </summary>
    /// <summary>
    /// Time in each collective, from its first step's start to its last step's end (the same collective in every loop step counts
    /// each time); past eight, one line for each kind, algorithm and size over any chips: how many, in all, the shortest and longest.
    /// </summary>
    private static IEnumerable<string> CollectiveNotes(Runtime.Targets.Machine machine, LoweredProgram lowered, long[] starts)
    {
        var timed = lowered.Collectives.Where(x => x.End > x.First).Select(x =>
        {
            var from = starts[x.First..x.End].Min();
            var to = Enumerable.Range(x.First, x.End - x.First).Max(i => starts[i] + lowered.Problem.Durations[i]
                + lowered.Problem.Latencies[i]);
            return (x.Note, From: from, To: to);
        }).ToList();
        string Seconds(long cycles) => Runtime.Reporting.Quantity.Seconds(machine.Seconds(cycles));
        if (timed.Count <= 8)
            return timed.Select(t => $"{t.Note}; cycles {t.From}–{t.To} ({Seconds(t.To - t.From)})");
        // "allreduce of part over 8 chips (lpu[0], …): ring, …" → "allreduce of part over 8 chips: ring, …"
        static string Kind(string note) => System.Text.RegularExpressions.Regex.Replace(note, @" \([^)]*\):", ":");
        return timed.GroupBy(t => Kind(t.Note)).Select(g => $"{g.Key}: ×{g.Count()}, {Seconds(g.Sum(t => t.To - t.From))} in all, "
            + $"{Seconds(g.Min(t => t.To - t.From))} to {Seconds(g.Max(t => t.To - t.From))} each");
    }

    public static IReadOnlyList<OutputTensor> ProgramOutputs(BoundProgram program, LoweredProgram lowered, FunctionalMode mode)
    {
        var functional = mode == FunctionalMode.On || mode == FunctionalMode.Auto && lowered.Flops <= AutoFunctionalFlops;
        var expected = functional ? ReferenceInterpreter.Evaluate(program, SumOrder(lowered)) : null;
        var symbols = SymbolicInterpreter.Evaluate(program, SumOrder(lowered));
        return lowered.Outputs.Select(o => o with { Expected = expected?[o.Name], Symbols = symbols[o.Name] }).ToList();
    }

    /// <summary>Each collective's summation order as lowering chose it, occurrence after occurrence (an interpreter walks once).</summary>
    private static Func<BoundCollective, bool?> SumOrder(LoweredProgram lowered)
    {
        var seen = new Dictionary<BoundCollective, int>(ReferenceEqualityComparer.Instance);
        return c =>
        {
            if (!lowered.SumOrders.TryGetValue(c, out var orders)) return null;
            var n = seen.GetValueOrDefault(c);
            seen[c] = n + 1;
            return n < orders.Count ? orders[n] : null;
        };
    }

    /// <summary>The assembly: the generated C# around the schedule resource, with that resource's SHA-256 compiled in.</summary>
    private static byte[] Emit(BoundProgram program, string assemblyName, Schedule schedule)
    {
        var blob = ScheduleFormat.Write(schedule);
        var code = Emitter.Emit(program, assemblyName, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(blob)));
        return AssemblyBuilder.Build(assemblyName, code, blob);
    }

    /// <summary>Sampling is worth it on small programs; large ones get the first pass and its justification only.</summary>
    private static int SamplingPasses(int operations) => operations <= 2_000 ? 16 : operations <= 20_000 ? 2 : 0;

    /// <summary>Parse, bind and place, for <c>sched check</c>: every mistake in the program short of scheduling it.</summary>
    public static IReadOnlyList<Diagnostic> Check(SourceText source, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var binding = OnLargeStack(() => Binder.Bind(SyntaxTree.Parse(source), overrides));
        if (binding.Program is not { } program) return binding.Diagnostics;
        var diagnostics = new DiagnosticBag(source);
        diagnostics.AddRange(binding.Diagnostics);
        Placer.Place(program, diagnostics);
        return diagnostics.ToList();
    }

    /// <summary>The parser and binder recurse over the tree; a generous stack keeps long expressions from overflowing it.</summary>
    private static T OnLargeStack<T>(Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { result = work(); }
            catch (Exception e) { failure = e; }
        }, 256 * 1024 * 1024);
        thread.Start();
        thread.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return result;
    }
}
