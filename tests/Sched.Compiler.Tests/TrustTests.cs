using Sched.Language.Text;
using Sched.Runtime;
using Sched.Runtime.Schedules;

namespace Sched.Compiler.Tests;

/// <summary>Generated code cannot be hijacked by names or strings in a source, and the same input gives the same output.</summary>
public class TrustTests
{
    private const string Hostile = """
        target System {
            clock 1 GHz;
            tile 4;
            sram Main { capacity = 1 MB; }
            matrix @class_ { peak = 1 TFLOP/s; }
        }
        """;

    [TestCase("program Console on System { input x : int8[1, 4] in Main; output x; assert cycles /* \"); System.Environment.Exit(3); // " +
        "*/ >= 0; }", TestName = "comment with quotes inside an assert")]
    [TestCase("program @namespace on System { input x : int8[1, 4] in Main; output x; }", TestName = "keyword names")]
    public void Hostile_names_and_strings_stay_data(string program)
    {
        var source = Hostile.Replace("@class_", "class_") + "\n" + program.Replace("@namespace", "namespace_");
        var name = "class"; // the file name becomes the assembly and class name
        var result = Compilation.Compile(SourceText.From(source, $"/tmp/{name}.sched"));
        Assert.That(result.Diagnostics, Is.Empty, string.Join("\n", result.Diagnostics.Select(d => d.Render())));
        Assert.That(result.AssemblyName, Is.EqualTo("class"));
        var run = Emit.InProcess.Run(result);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Report);
        if (program.Contains("assert")) Assert.That(run.Contracts.Single().Contract.Text,
            Does.Contain("\"); System.Environment.Exit(3); //"));
    }

    [TestCase("1-evil name.sched", "_1_evil_name")]
    [TestCase("a\"b;c.sched", "a_b_c")]
    [TestCase("class.sched", "class")]
    public void File_names_are_sanitised_into_identifiers(string file, string expected)
    {
        var source = Hostile.Replace("@class_", "mxu") + "\nprogram P on System { input x : int8[1, 4] in Main; output x; }";
        var result = Compilation.Compile(SourceText.From(source, file));
        Assert.That(result.AssemblyName, Is.EqualTo(expected));
        Assert.That(Emit.InProcess.Run(result).ExitCode, Is.EqualTo(0));
    }

    [TestCase("mlp.sched")]
    [TestCase("decode.sched")]
    public void The_same_input_gives_the_same_schedule_text_assembly_and_report(string name)
    {
        var first = Examples.Compile(name);
        var second = Examples.Compile(name);
        var machine = first.Program!.Target.Machine;
        Assert.That(ScheduleText.Write(machine, second.Schedule!), Is.EqualTo(ScheduleText.Write(machine, first.Schedule!)));
        Assert.That(second.Assembly, Is.EqualTo(first.Assembly));
        Assert.That(Emit.InProcess.Run(second).Report, Is.EqualTo(Emit.InProcess.Run(first).Report));
    }

    [Test]
    public void The_text_form_round_trips()
    {
        var compiled = Examples.Compile("mlp.sched");
        var machine = compiled.Program!.Target.Machine;
        var text = ScheduleText.Write(machine, compiled.Schedule!);
        var back = ScheduleText.Read(text, machine);
        Assert.That(ScheduleText.Write(machine, back), Is.EqualTo(text));
        Assert.That(Host.Run(machine, back, []).Violations, Is.Empty);
    }

    [Test]
    public void The_bound_a_stored_schedule_claims_is_never_read()
    {
        // A contract 'cycles <= k * bound' would pass against a raised bound; the verifier derives its own instead.
        var compiled = Examples.Compile("mlp.sched");
        var machine = compiled.Program!.Target.Machine;
        var text = ScheduleText.Write(machine, compiled.Schedule!);
        var honest = Host.Run(machine, ScheduleText.Read(text, machine), []);
        var raised = ScheduleText.Read(System.Text.RegularExpressions.Regex.Replace(text, @"\nbound \d+", "\nbound 1000000"), machine);
        Assert.That(raised.Bound, Is.EqualTo(1_000_000));
        var run = Host.Run(machine, raised, [new Runtime.Verification.Contract("cycles <= 1.01 * bound", default, m => m.Cycles,
            Runtime.Verification.Comparison.LessOrEqual, m => 1.01 * m.Bound)]);
        Assert.That(run.Report, Does.Contain("bound: 6280 cycles"));
        Assert.That(honest.Report, Does.Contain("bound: 6280 cycles"));
        Assert.That(run.Contracts.Single().Holds, Is.False, "6633 > 1.01 × 6280 = 6343, whatever the file says");
        Assert.That(run.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void A_stored_schedule_naming_a_unit_the_target_lacks_is_a_violation_not_a_crash()
    {
        var compiled = Examples.Compile("mlp.sched");
        var machine = compiled.Program!.Target.Machine;
        var text = ScheduleText.Write(machine, compiled.Schedule!);
        var at = text.IndexOf("unit=mxu[0]", StringComparison.Ordinal);
        var run = Host.Run(machine, ScheduleText.Read(text[..at] + "unit=tpu" + text[(at + "unit=mxu[0]".Length)..], machine), []);
        Assert.That(run.Violations[0].Kind, Is.EqualTo(Runtime.Verification.ViolationKind.MalformedInstruction));
        Assert.That(run.ExitCode, Is.EqualTo(1));
    }

    private static Runtime.RunResult RunAssembly(byte[] assembly, string name)
    {
        var context = new System.Runtime.Loader.AssemblyLoadContext(name, isCollectible: true);
        try
        {
            var loaded = context.LoadFromStream(new MemoryStream(assembly));
            var run = loaded.GetType($"{Emit.Emitter.Namespace}.{name}", throwOnError: true)!.GetMethod("Run")!;
            return (Runtime.RunResult)run.Invoke(null, [Array.Empty<Runtime.Verification.Violation>()])!;
        }
        finally { context.Unload(); }
    }

    [Test]
    public void An_assembly_refuses_a_schedule_resource_it_was_not_built_with()
    {
        var compiled = Examples.Compile("hello.sched");
        var blob = ScheduleFormat.Write(compiled.Schedule!);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(blob));
        var code = Emit.Emitter.Emit(compiled.Program!, "hello", sha);
        Assert.That(RunAssembly(Emit.AssemblyBuilder.Build("hello", code, blob), "hello").Passed, Is.True);
        var empty = RunAssembly(Emit.AssemblyBuilder.Build("hello", code, []), "hello");
        Assert.That((empty.ExitCode, empty.Violations.Single().Kind), Is.EqualTo((1, Runtime.Verification.ViolationKind.ScheduleRejected)));
        Assert.That(empty.Report, Does.Contain("not the one this program was built with"));
    }

    [Test]
    public void No_bit_flip_in_the_schedule_resource_is_accepted_or_crashes()
    {
        var compiled = Examples.Compile("hello.sched");
        var blob = ScheduleFormat.Write(compiled.Schedule!);
        var assembly = compiled.Assembly!;
        var at = assembly.AsSpan().IndexOf(blob);
        Assert.That(at, Is.GreaterThan(0), "the resource is in the assembly as written");
        var random = new Random(5);
        for (var i = 0; i < 120; i++)
        {
            var flipped = (byte[])assembly.Clone();
            var bit = random.Next(blob.Length * 8);
            flipped[at + bit / 8] ^= (byte)(1 << (bit % 8));
            var run = RunAssembly(flipped, "hello");
            Assert.That((run.ExitCode, run.Violations[0].Kind), Is.EqualTo((1, Runtime.Verification.ViolationKind.ScheduleRejected)),
                $"bit {bit}");
        }
    }
}
