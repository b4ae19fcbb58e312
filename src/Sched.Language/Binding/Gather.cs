using Sched.Language.Syntax;
using Sched.Runtime.Operations;
using Sched.Runtime.Reporting;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;

namespace Sched.Language.Binding;

/// <summary>
/// <c>gather(table, rows, seed)</c>: an embedding lookup. Tiles are column blocks of every row, so a lookup can read only the rows
/// it needs when the table is a stack of rows, <c>weight table : fp16[vocab, 1, d]</c>: each row is a layer of its own. The token
/// ids are drawn statically (uniform over the table, seeded, as <see cref="Routing"/> draws a routing), and the binder writes the
/// lookup out as one <c>scatter_rows</c> of the chosen rows, so only their bytes are read.
/// </summary>
public static class Gather
{
    public const string Name = "gather";

    public static IReadOnlyList<Setting> Settings { get; } =
    [
        new("rows", 1, 1, 1 << 20, "rows (tokens) to look up"),
        new("seed", 1, 0, int.MaxValue, "the random seed of the token ids"),
    ];
}

public sealed partial class Binder
{
    private BoundTensorExpression? BindGather(CallSyntax call, IdentifierSyntax? memory)
    {
        if (call.Arguments.Count != 1)
        {
            _diagnostics.ReportWrongArgumentCount(call.Span, Gather.Name, [1], call.Arguments.Count);
            return null;
        }
        if (BindSettings(call, Gather.Name, Gather.Settings) is not { } settings) return null;
        if (call.Arguments[0] is not NameSyntax n || Lookup(n.Name, "weight") is not TensorSymbol table) return null;
        if (!table.Type.IsStacked || table.Type.Rows != 1)
        {
            _diagnostics.ReportNotATensor(call.Arguments[0].Span,
                $"gather reads rows of a table declared as a stack of rows, [rows, 1, cols], not {table.Type}");
            return null;
        }
        var ids = Routing.Draw((int)settings[0], table.Type.Layers, (ulong)settings[1]);
        var rows = ids.Select(id => (BoundTensorExpression)new BoundLayer(table, new BoundIndexConstant(id, call.Span), call.Span))
            .ToArray();
        var type = new TensorType(table.Type.Dtype, ids.Length, table.Type.Cols);
        var line = _source.Location(call.Span).Line;
        _notes.Add($"gather at line {line}: {ids.Length} rows of {table.Name} ({ids.Distinct().Count()} distinct, "
            + $"{Quantity.Bytes(table.Type.Dtype.Bytes(table.Type.Cols) * (double)ids.Distinct().Count())} read)");
        var lookup = new BoundOperation(Opcode.ScatterRows, rows, null, null, type, call.Span)
            { Settings = [ids.Length, .. Enumerable.Range(0, ids.Length).Select(i => (long)i)] };
        return memory is null ? lookup : lookup with { Memory = memory.Text, MemorySpan = memory.Span };
    }
}
