namespace Sched.Runtime.Verification;

/// <summary>The measured figures a contract can speak of: cycles and time from the replay, bound from the verifier.</summary>
public sealed record Metrics(long Cycles, double Seconds, long Bound);
