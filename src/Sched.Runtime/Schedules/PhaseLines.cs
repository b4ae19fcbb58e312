namespace Sched.Runtime.Schedules;

/// <summary>
/// A <c>phase</c> of the program by the source lines it spans, in program order: the verifier takes them from the program, not
/// from a schedule, and holds every schedule to running each phase after the one before.
/// </summary>
public sealed record PhaseLines(string Name, int FirstLine, int LastLine);
