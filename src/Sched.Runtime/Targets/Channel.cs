using Sched.Runtime.Targets.Kinds;

namespace Sched.Runtime.Targets;

/// <summary>
/// A physical link between two chips, or between a chip and a switch, one way. A transfer between chips that are not neighbours
/// follows a route of channels and holds every channel it crosses for its whole duration (cut-through, as chip interconnects
/// forward flits), so two routes that share a hop share its bandwidth.
/// </summary>
public sealed record Channel(string Name, double BytesPerCycle, int Latency, int Lanes)
{
    /// <summary>The resource it adds: its lanes, cut into slices as a link's are (<see cref="Link.SlicesOf"/>).</summary>
    public Resource Resource => new(Name, Lanes * Link.SlicesOf(BytesPerCycle), Verification.ViolationKind.LaneConflict)
        { Slices = Link.SlicesOf(BytesPerCycle) };
}
