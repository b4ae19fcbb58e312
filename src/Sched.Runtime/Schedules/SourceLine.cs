namespace Sched.Runtime.Schedules;

/// <summary>Where in the .sched file an instruction came from, so a violation can point at it.</summary>
public readonly record struct SourceLine(int Line, int Column)
{
    public override string ToString() => $"({Line},{Column})";
}
