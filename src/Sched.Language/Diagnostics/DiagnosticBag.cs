using Sched.Language.Text;
using Sched.Language.Units;

namespace Sched.Language.Diagnostics;

/// <summary>Collects the diagnostics of one source; every message Sched says about input is written here.</summary>
public sealed class DiagnosticBag(SourceText source)
{
    private readonly List<Diagnostic> _items = [];

    public int Count => _items.Count;
    public bool HasErrors => _items.Any(d => d.Severity == Severity.Error);
    public IReadOnlyList<Diagnostic> ToList() => _items.ToList();
    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    private static IEnumerable<string> Operations =>
        Sched.Runtime.Operations.OperationCatalogue.All.Where(o => o.Callable).Select(o => o.Name).Append(Binding.Moe.Name)
            .Append(Binding.Gather.Name);

    private static IEnumerable<string> DataTypes =>
        Enum.GetValues<Sched.Runtime.Targets.DataType>().Select(Sched.Runtime.Targets.DataTypeFacts.Name);

    private static IEnumerable<string> ComponentKinds => Sched.Runtime.Targets.Kinds.MemoryKinds.Keywords
        .Concat(Sched.Runtime.Targets.ComputeUnit.Keywords.Keys).Order(StringComparer.Ordinal);

    private void Error(DiagnosticId id, TextSpan span, string message) =>
        _items.Add(new Diagnostic(id, Severity.Error, source.Location(span), message));

    public void ReportMisspeltKeyword(TextSpan span, string word, string keyword) =>
        Error(DiagnosticId.MisspeltKeyword, span, $"unknown keyword '{word}' (did you mean '{keyword}'?)");
    public void ReportMissingToken(TextSpan span, string token, string after) =>
        Error(DiagnosticId.UnexpectedToken, span, $"missing {token} after '{after}'");
    public void ReportUnexpectedToken(TextSpan span, string found, string expected) =>
        Error(DiagnosticId.UnexpectedToken, span,
            expected.Length == 0 ? $"unexpected {found}" : $"unexpected {found}; expected {expected}");
    public void ReportInvalidCharacter(TextSpan span, string text) =>
        Error(DiagnosticId.InvalidCharacter, span, $"'{Printable(text)}' cannot appear in a .sched program");
    public void ReportTooDeep(TextSpan span, int limit) =>
        Error(DiagnosticId.UnexpectedToken, span, $"brackets nest more than {limit} deep");
    public void ReportTooLong(TextSpan span, int limit) =>
        Error(DiagnosticId.UnexpectedToken, span, $"a statement longer than {limit} tokens; split it");
    public void ReportInvalidNumber(TextSpan span, string text) =>
        Error(DiagnosticId.InvalidNumber, span, $"'{text}' is not a finite number");

    public void ReportUnknownName(TextSpan span, string name, string what, IEnumerable<string>? known = null) =>
        Error(DiagnosticId.UnknownName, span, $"unknown {what} '{name}'{Suggestion.For(name, known ?? [])}");
    public void ReportDuplicateName(TextSpan span, string name) =>
        Error(DiagnosticId.DuplicateName, span, $"'{name}' is already declared");
    public void ReportUnknownUnit(TextSpan span, string message) =>
        Error(DiagnosticId.UnknownUnit, span, message);
    public void ReportWrongDimension(TextSpan span, string what, string expected, Quantity found) =>
        Error(DiagnosticId.WrongDimension, span, $"{what} must be {expected}, but {found} is {found.Dimension.Describe()}");
    public void ReportDimensionMismatch(TextSpan span, string op, Dimension left, Dimension right) =>
        Error(DiagnosticId.WrongDimension, span, $"'{op}' cannot combine {left.Describe()} with {right.Describe()}");
    public void ReportShapeMismatch(TextSpan span, string message) =>
        Error(DiagnosticId.ShapeMismatch, span, message);
    public void ReportUnknownDtype(TextSpan span, string name) =>
        Error(DiagnosticId.UnknownDtype, span,
            $"unknown dtype '{name}'{Suggestion.For(name, DataTypes)}; expected one of {string.Join(" ", DataTypes)}");
    public void ReportUnknownComponentKind(TextSpan span, string kind) =>
        Error(DiagnosticId.UnknownComponentKind, span,
            $"unknown component kind '{kind}'{Suggestion.For(kind, ComponentKinds)}; this version knows " +
            $"{string.Join(", ", ComponentKinds)}");
    public void ReportUnknownProperty(TextSpan span, string kind, string name, IEnumerable<string> known) =>
        Error(DiagnosticId.UnknownProperty, span,
            $"a {kind} has no property '{name}'{Suggestion.For(name, known)}; it has {string.Join(", ", known)}");
    public void ReportMissingProperty(TextSpan span, string component, string name) =>
        Error(DiagnosticId.MissingProperty, span, $"{component} needs '{name}'");
    public void ReportUnknownTarget(TextSpan span, string name, IEnumerable<string>? declared = null)
    {
        var presets = Sched.Runtime.Targets.Library.Catalogue.All.Select(p => p.Name).ToList();
        Error(DiagnosticId.UnknownTarget, span,
            $"unknown target '{name}'{Suggestion.For(name, presets.Concat(declared ?? []))}; declare it " +
            $"with 'target {name} {{ … }}' in this file or use a preset: {string.Join(", ", presets)}");
    }
    public void ReportWrongKindOfName(TextSpan span, string message) =>
        Error(DiagnosticId.WrongKindOfName, span, message);
    public void ReportNoLink(TextSpan span, string from, string to) =>
        Error(DiagnosticId.NoLink, span, $"the target has no link from {from} to {to}");
    public void ReportWrongArgumentCount(TextSpan span, string op, IReadOnlyList<int> expected, int found) =>
        Error(DiagnosticId.WrongArgumentCount, span, $"{op} takes {string.Join(" or ", expected)} argument(s), not {found}");
    public void ReportUnknownSetting(TextSpan span, string op, string name, IReadOnlyList<string> known) =>
        Error(DiagnosticId.UnknownSetting, span, known.Count == 0 ? $"{op} takes no named settings, so not '{name}'"
            : $"{op} has no setting '{name}'{Suggestion.For(name, known)}; it takes {string.Join(", ", known)}");
    public void ReportNotATensor(TextSpan span, string message) =>
        Error(DiagnosticId.NotATensor, span, message);
    public void ReportIndexOutOfRange(TextSpan span, string weight, long index, int layers, string what = "layers") =>
        Error(DiagnosticId.IndexOutOfRange, span, $"index {index} is outside {weight}'s {layers} {what} (0 .. {layers})");
    public void ReportInvalidValue(TextSpan span, string message) =>
        Error(DiagnosticId.InvalidValue, span, message);
    public void ReportUnknownOperation(TextSpan span, string name, IEnumerable<string>? blocks = null)
    {
        var known = Operations.Concat(blocks ?? []).ToList();
        Error(DiagnosticId.UnknownOperation, span,
            $"unknown operation '{name}'{Suggestion.For(name, known)}; expected {string.Join(", ", known)}");
    }
    public void ReportInvalidOverride(TextSpan span, string message) =>
        Error(DiagnosticId.InvalidParameterOverride, span, message);
    public void ReportDtypeMismatch(TextSpan span, string message) =>
        Error(DiagnosticId.DtypeMismatch, span, message);
    public void ReportNoOutput(TextSpan span, string program) =>
        Error(DiagnosticId.NoOutput, span, $"program {program} has no output; say which tensor it produces with 'output NAME;'");
    public void ReportUnsupportedRank(TextSpan span, int rank, string allowed) =>
        Error(DiagnosticId.UnsupportedRank, span, $"a tensor of rank {rank} is not supported here; {allowed}");
    public void ReportMissingClock(TextSpan span, string target) =>
        Error(DiagnosticId.MissingClock, span, $"target {target} needs a clock, e.g. 'clock 1 GHz;'");
    public void ReportNoProgram(TextSpan span) =>
        Error(DiagnosticId.NoProgram, span, "the file declares no program; add 'program NAME on TARGET { … }'");
    public void ReportNotAContractMetric(TextSpan span, string message) =>
        Error(DiagnosticId.NotAContractMetric, span, message);
    public void ReportBadStoredSchedule(TextSpan span, string message) =>
        Error(DiagnosticId.BadStoredSchedule, span, $"the stored schedule cannot be read: {message}");
    public void ReportNoSchedule(TextSpan span, string message) =>
        Error(DiagnosticId.NoSchedule, span, $"no schedule: {message}");
    public void ReportTooLarge(TextSpan span, string message) =>
        Error(DiagnosticId.TooLarge, span, message);
    public void ReportDoesNotFit(TextSpan span, string message) =>
        Error(DiagnosticId.DoesNotFit, span, message);

    private static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) || c > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
}
