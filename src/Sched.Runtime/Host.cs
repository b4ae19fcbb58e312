using System.Reflection;
using System.Security.Cryptography;
using Sched.Runtime.Execution;
using Sched.Runtime.Reporting;
using Sched.Runtime.Schedules;
using Sched.Runtime.Targets;
using Sched.Runtime.Verification;

namespace Sched.Runtime;

/// <summary>
/// The outcome of running a schedule: the report, what broke, and the exit code (0 ok, 1 a violation or failed contract).
/// </summary>
public sealed record RunResult(Replay Replay, IReadOnlyList<Violation> Violations, IReadOnlyList<ContractResult> Contracts,
    string Functional, string Report, string ScheduleHash)
{
    public bool Passed => Violations.Count == 0 && Contracts.All(c => c.Holds);
    public int ExitCode => Passed ? 0 : 1;

    /// <summary>The verifier's lower bound on the cycles (derived from the instructions and the machine) and what sets it.</summary>
    public long Bound { get; init; }
    public string BoundKind { get; init; } = "";
}

/// <summary>What a generated program's Main calls: load the schedule, replay it, verify it, check contracts, report.</summary>
public static class Host
{
    /// <summary>The name of the manifest resource that carries the schedule in a generated assembly.</summary>
    public const string ScheduleResource = "schedule.bin";

    /// <summary>
    /// What a generated program's Main calls: print the report; exit 0, or 1 for any violation, contract or refused resource.
    /// </summary>
    public static int Main(Assembly program, string scheduleSha256, Machine machine, Contract[] contracts, PhaseLines[] phases,
        double tokens, string[] args)
    {
        var result = Run(program, scheduleSha256, machine, contracts, phases, tokens, []);
        Console.Out.Write(result.Report);
        return result.ExitCode;
    }

    /// <summary>Replays the schedule an assembly carries, once its resource is proved to be the one the assembly was built with.</summary>
    public static RunResult Run(Assembly program, string scheduleSha256, Machine machine, Contract[] contracts, PhaseLines[] phases,
        double tokens, Violation[] prior)
    {
        Schedule schedule;
        try
        {
            schedule = LoadSchedule(program, scheduleSha256);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            return Rejected(machine, e.Message);
        }
        return Run(machine, schedule, contracts, prior, phases, tokens);
    }

    /// <summary>The carried schedule, refused before it is read when its SHA-256 is not the one compiled into the assembly.</summary>
    public static Schedule LoadSchedule(Assembly program, string sha256)
    {
        var bytes = ReadSchedule(program);
        if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != sha256)
            throw new InvalidDataException($"the {ScheduleResource} resource is not the one this program was built with (its SHA-256 " +
                $"differs)");
        return ScheduleFormat.Read(bytes);
    }

    private static RunResult Rejected(Machine machine, string why)
    {
        var violation = new Violation(ViolationKind.ScheduleRejected, 0, ScheduleResource, why, default);
        var replay = new Replay(0, new long[machine.Units.Count], new long[machine.Links.Count], new long[machine.Links.Count],
            new long[machine.Memories.Count], new long[machine.Memories.Count], null);
        return new RunResult(replay, [violation], [], "skipped (the schedule was refused)",
            $"verification: FAILED, the schedule was refused\n{violation.Render("")}\n", "");
    }

    public static byte[] ReadSchedule(Assembly program)
    {
        using var stream = program.GetManifestResourceStream(ScheduleResource)
            ?? throw new InvalidDataException($"the assembly carries no {ScheduleResource}");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <param name="prior">violations found before replay (a stored schedule that is not the program's); reported first</param>
    /// <param name="phases">the program's phases, run one after another (from the program, never from the schedule)</param>
    /// <param name="tokens">tokens a run makes, for the report's tokens/s (0: not printed)</param>
    public static RunResult Run(Machine machine, Schedule schedule, IReadOnlyList<Contract> contracts,
        IReadOnlyList<Violation>? prior = null, IReadOnlyList<PhaseLines>? phases = null, double tokens = 0)
    {
        // The bound is the verifier's, derived from the instructions and the machine; the one a schedule carries is never read.
        var check = Verifier.Check(machine, schedule, phases);
        var violations = (prior ?? []).Concat(check.Violations).ToList();
        var functionalWanted = schedule.Outputs.Any(o => o.Expected is not null);
        var replay = Executor.Run(machine, schedule, functionalWanted && violations.Count == 0);
        var functional = !functionalWanted ? "skipped (program too large for value checks; shrink it with --set)"
            : violations.Count > 0 ? "skipped (the schedule did not verify)"
            : CompareOutputs(schedule, replay, violations);
        var metrics = Metrics.Of(machine, schedule, replay, check.Bound);
        var results = contracts.Select(c => c.Check(metrics)).ToList();
        foreach (var failed in results.Where(r => !r.Holds))
            violations.Add(new Violation(ViolationKind.ContractFailed, replay.Cycles, "contract",
                $"assert {failed.Contract.Text} does not hold: measured {failed.Show(failed.Measured)}, promised " +
                    $"{failed.Show(failed.Promised)}", failed.Contract.Source));
        var hash = ScheduleText.Hash(machine, schedule);
        var report = Report.Render(machine, schedule with { Bound = check.Bound, BoundKind = check.BoundKind }, replay, violations,
            results, functional, hash, tokens: tokens);
        return new RunResult(replay, violations, results, functional, report, hash) { Bound = check.Bound, BoundKind = check.BoundKind };
    }

    private static string CompareOutputs(Schedule schedule, Replay replay, List<Violation> violations)
    {
        var compared = 0L;
        foreach (var output in schedule.Outputs.Where(o => o.Expected is not null))
        {
            var actual = replay.Outputs![output.Name];
            for (var i = 0; i < actual.Length; i++)
                if (BitConverter.DoubleToInt64Bits(actual[i]) != BitConverter.DoubleToInt64Bits(output.Expected![i]))
                {
                    violations.Add(new Violation(ViolationKind.WrongValues, replay.Cycles, output.Name,
                        $"element [{i / output.Cols}, {i % output.Cols}] is {actual[i]}, the reference interpreter says " +
                            $"{output.Expected[i]}", default));
                    return "FAILED (outputs differ from the reference interpreter)";
                }
            compared += actual.Length;
        }
        return $"ok, outputs equal the reference interpreter bit for bit ({compared} values)";
    }
}
