using Sched.Compiler;
using Sched.Language.Text;
using Sched.Runtime;

namespace Sched.Bench;

/// <summary>Runs one source through the whole pipeline under a time limit: a crash is any exception, a hang any overrun.</summary>
public static class Fuzzer
{
    public enum Verdict { Accepted, Diagnosed, Crashed, Hung }

    public static (Verdict Verdict, string Detail) Run(string text, TimeSpan limit, bool emit)
    {
        (Verdict, string) outcome = (Verdict.Hung, $"did not finish within {limit.TotalSeconds} s");
        var thread = new Thread(() =>
        {
            try
            {
                var compiled = Compilation.Compile(SourceText.From(text, "fuzz.sched"), new CompileOptions(Functional: FunctionalMode.Auto), emit);
                if (compiled.Schedule is null)
                {
                    var undiagnosed = !compiled.Diagnostics.Any(d => d.Code.StartsWith("SCH"));
                    outcome = undiagnosed ? (Verdict.Crashed, "failed without a diagnostic") : (Verdict.Diagnosed, compiled.Diagnostics[0].Code);
                    return;
                }
                var run = Host.Run(compiled.Program!.Target.Machine, compiled.Schedule, []);
                outcome = run.Violations.Any(v => v.Kind != Runtime.Verification.ViolationKind.ContractFailed)
                    ? (Verdict.Crashed, "the compiler's own schedule failed verification: " + run.Violations[0].Render("fuzz.sched"))
                    : (Verdict.Accepted, "");
            }
            catch (Exception e)
            {
                outcome = (Verdict.Crashed, $"{e.GetType().Name}: {e.Message}");
            }
        }, 512 * 1024 * 1024) { IsBackground = true };
        thread.Start();
        return thread.Join(limit) ? outcome : (Verdict.Hung, outcome.Item2);
    }
}
