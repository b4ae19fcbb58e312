using System.Text.RegularExpressions;
using Sched.Language.Text;
using Sched.Runtime.Schedules;
using Sched.Runtime.Verification;

namespace Sched.Compiler.Tests;

/// <summary>
/// A stored schedule is held to the program: tiles, outputs and work are derived from the program and the target; the file
/// supplies only cycles, units, links and addresses. Each case is an attack from the issue, reproduced on mlp.sched.
/// </summary>
public class StoredScheduleTests
{
    private static string Stored()
    {
        var compiled = Examples.Compile("mlp.sched");
        return ScheduleText.Write(compiled.Program!.Target.Machine, compiled.Schedule!);
    }

    private static (CompileResult Compiled, Runtime.RunResult? Run) Verify(string stored)
    {
        var options = new CompileOptions(StoredSchedule: stored, StoredSchedulePath: "m.schedule");
        var compiled = Compilation.Compile(Examples.Source("mlp.sched"), options);
        return (compiled, compiled.Success ? Emit.InProcess.Run(compiled) : null);
    }

    private static string Edit(string text, string pattern, string replacement) =>
        new Regex(pattern, RegexOptions.Multiline).Replace(text, replacement, 1);

    [Test]
    public void The_stored_schedule_itself_verifies_and_keeps_its_hash()
    {
        var (_, run) = Verify(Stored());
        Assert.That((run!.Passed, run.ScheduleHash), Is.EqualTo((true, "6b978453a16326f8")), run.Report);
    }

    [TestCase("empty", "the program's tile 0 (x.0) is missing")]
    [TestCase("output removed", "the program's output y is missing")]
    [TestCase("output renamed", "output z is not one of the program's")]
    [TestCase("output rows changed", "output y is 2×512 in tiles")]
    [TestCase("tile resized", "tile 1 is x.1 in sbuf (512 B, 4×128); the program makes x.1 in sbuf (1024 B, 4×128)")]
    [TestCase("load bytes changed", "is not work the program does")]
    [TestCase("operand retargeted", "is not work the program does")]
    [TestCase("store duplicated", "(once more than it does)")]
    public void An_edit_that_is_not_the_program_fails_and_names_the_line(string edit, string message)
    {
        var text = Stored();
        var edited = edit switch
        {
            "empty" => "sched-schedule 1\n",
            "output removed" => Edit(text, @"^output y .*\n", ""),
            "output renamed" => Edit(text, @"^output y ", "output z "),
            "output rows changed" => Edit(text, @"^output y rows=4", "output y rows=2"),
            "tile resized" => Edit(text, @"^(tile 1 x\.1 in=sbuf address=\d+) bytes=1024", "$1 bytes=512"),
            "load bytes changed" => Edit(text, @"^(\d+ load .* reads=0 writes=0) bytes=1024", "$1 bytes=1000"),
            "operand retargeted" => Edit(text, @"^(\d+ matmul .* reads=)(\d+),", "${1}1,"),
            _ => Edit(text, @"^(\d+ store .*\n)", "$1$1"),
        };
        Assert.That(edited, Is.Not.EqualTo(text), "the edit applies");
        var (compiled, run) = Verify(edited);
        Assert.That(run, Is.Not.Null, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        Assert.That(run!.ExitCode, Is.EqualTo(1));
        var v = run.Violations.Where(x => x.Kind == ViolationKind.NotTheProgram).First(x => x.Message.Contains(message));
        Assert.That((v.File, v.Source.Line), Is.EqualTo(("m.schedule", edit is "empty" or "output removed" ? 1 : v.Source.Line)));
        Assert.That(v.Source.Line, Is.GreaterThan(0));
    }

    [Test]
    public void A_raised_bound_in_the_file_changes_nothing()
    {
        var (_, run) = Verify(Edit(Stored(), @"^bound \d+", "bound 1000000"));
        Assert.That(run!.Passed, Is.True);
        Assert.That(run.Report, Does.Contain("bound: 6280 cycles"));
    }

    [Test]
    public void A_file_longer_than_the_program_could_need_is_refused_unread()
    {
        var padded = Stored() + string.Concat(Enumerable.Repeat("note padding\n", 1_000));
        var (compiled, run) = Verify(padded);
        Assert.That(run, Is.Null);
        Assert.That(compiled.Diagnostics.Single().Message, Does.Contain("lines").And.Contain("at most"));
    }

    [Test]
    public void Value_checks_are_sized_by_the_program_not_by_the_file()
    {
        // A nearly empty file once turned value checks on for llama7b (52.8 s, 6.66 GB): FLOPs now come from the program.
        var options = new CompileOptions(StoredSchedule: "sched-schedule 1\n", StoredSchedulePath: "e.schedule");
        var compiled = Compilation.Compile(Examples.Source("llama2-7b-h100.sched"), options);
        Assert.That(compiled.Schedule!.Outputs.All(o => o.Expected is null), Is.True);
        Assert.That(compiled.Mismatches, Is.Not.Empty);
    }

    [TestCase("unit=tpu", @"unit=mxu\[0\]", "unit=tpu", ViolationKind.MalformedInstruction)]
    [TestCase("link=nowhere", @"link=sbuf->mxu\[0\]", "link=nowhere", ViolationKind.MalformedInstruction)]
    [TestCase("an address near 2^63", @"^(tile 1 x\.1 in=sbuf) address=\d+", "$1 address=9223372036854775000", ViolationKind.OverCapacity)]
    [TestCase("an unknown tile", @"^(\d+ matmul .* reads=)(\d+),", "${1}99999,", ViolationKind.NotTheProgram)]
    public void A_hostile_field_is_a_violation_not_a_stack_trace(string what, string pattern, string replacement, ViolationKind kind)
    {
        var (compiled, run) = Verify(Edit(Stored(), pattern, replacement));
        Assert.That(run, Is.Not.Null, string.Join("\n", compiled.Diagnostics.Select(d => d.Render())));
        Assert.That(run!.ExitCode, Is.EqualTo(1), what);
        Assert.That(run.Violations.Select(v => v.Kind), Does.Contain(kind), run.Report);
    }
}
