using Sched.Language.Binding;
using Sched.Language.Text;
using Sched.Runtime.Schedules;

namespace Sched.Compiler.Tests;

/// <summary>Embedding lookup: a table stored as a stack of rows, of which a gather reads only the rows it looks up.</summary>
public class GatherTests
{
    private static string Program(string call) => $$"""
        target Small {
            clock 1 GHz;
            tile 16;
            sram   s { capacity = 4 MiB; latency = 2 cycles; }
            vector vpu { peak = 64 GFLOP/s; latency = 2 cycles; }
            link   s <-> vpu { bandwidth = 32 GB/s; latency = 3 cycles; }
        }
        program P(vocab = 100, d = 32) on Small {
            weight table : fp32[vocab, 1, d] in s;
            weight flat  : fp32[vocab, d] in s;
            let x = {{call}};
            output x;
        }
        """;

    [Test]
    public void A_lookup_reads_only_its_rows_and_equals_the_reference()
    {
        var compiled = Compilation.Compile(SourceText.From(Program("gather(table, rows = 5, seed = 7)"), "g.sched"),
            new CompileOptions(Functional: FunctionalMode.On));
        Assert.That(compiled.Diagnostics, Is.Empty, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        var run = Emit.InProcess.Run(compiled);
        Assert.That(run.Passed, Is.True, run.Report);
        Assert.That(run.Functional, Does.StartWith("ok"));
        var s = compiled.Schedule!;
        var ids = Routing.Draw(5, 100, 7);
        // Each row is 32 fp32 = 128 B in two 16-column tiles; each distinct row is loaded once, nothing else of the table.
        var rowsRead = s.Instructions.Where(i => i.Op == Opcode.Load && s.Tiles[i.Result].Tensor == "table")
            .Select(i => s.Tiles[i.Result].Layer).Distinct().Order();
        Assert.That(rowsRead, Is.EqualTo(ids.Distinct().Order()));
        var bytes = s.Instructions.Where(i => i.Op == Opcode.Load && s.Tiles[i.Result].Tensor == "table").Sum(i => i.Bytes);
        Assert.That(bytes, Is.EqualTo(ids.Distinct().Count() * 128));
        Assert.That(s.Outputs[0].Rows, Is.EqualTo(5));
        Assert.That(s.Notes[0], Does.StartWith($"gather at line 11: 5 rows of table ({ids.Distinct().Count()} distinct"));
    }

    [Test]
    public void The_same_seed_draws_the_same_rows_and_another_seed_others()
    {
        Assert.That(Routing.Draw(64, 32000, 1), Is.EqualTo(Routing.Draw(64, 32000, 1)));
        Assert.That(Routing.Draw(64, 32000, 1), Is.Not.EqualTo(Routing.Draw(64, 32000, 2)));
        Assert.That(Routing.Draw(10_000, 7, 3).Distinct().Order(), Is.EqualTo(Enumerable.Range(0, 7)), "every row can be drawn");
    }

    [TestCase("gather(⟦flat⟧, rows = 2)", "SCH1014", TestName = "a flat table would be read whole")]
    [TestCase("⟦gather(table, table)⟧", "SCH1013", TestName = "gather takes one table")]
    [TestCase("gather(table, ⟦row⟧ = 2)", "SCH1025", TestName = "a misspelt setting")]
    [TestCase("gather(table, rows = ⟦0⟧)", "SCH1016", TestName = "no rows")]
    public void Gather_mistakes_are_one_diagnostic_at_their_place(string marked, string id)
    {
        var call = marked.Replace("⟦", "").Replace("⟧", "");
        var text = Program(call);
        var at = text.IndexOf(call, StringComparison.Ordinal) + marked.IndexOf('⟦');
        var compiled = Compilation.Compile(SourceText.From(text, "g.sched"), new CompileOptions());
        Assert.That(compiled.Diagnostics.Select(d => d.Code), Is.EqualTo(new[] { id }),
            string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        Assert.That(compiled.Diagnostics[0].Location.Span, Is.EqualTo(new TextSpan(at, marked.IndexOf('⟧') - marked.IndexOf('⟦') - 1)));
    }
}
