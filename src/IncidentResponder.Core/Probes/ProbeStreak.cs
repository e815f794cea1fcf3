namespace IncidentResponder.Core.Probes;

/// <summary>
/// One probe's recent history on one Deployment: consecutive failures and since when. Data in and out; the shell
/// keeps it in memory (a restart only restarts the count, as a detection hold does).
/// </summary>
public sealed record ProbeStreak(int ConsecutiveFailures, DateTimeOffset? FailingSince, ProbeVerdict? Last)
{
    public static ProbeStreak None { get; } = new(0, null, null);

    /// <summary>The streak after one more verdict: a pass ends it, a failure extends it.</summary>
    public ProbeStreak Next(ProbeVerdict verdict, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict.Passed
            ? new ProbeStreak(0, null, verdict)
            : new ProbeStreak(ConsecutiveFailures + 1, FailingSince ?? now, verdict);
    }

    /// <summary>Failing for the threshold: a signal, not a blip.</summary>
    public bool Confirmed(int failureThreshold) => ConsecutiveFailures >= failureThreshold;

    /// <summary>Failing now, threshold reached or not: a mitigation it would judge has not verifiably worked yet.</summary>
    public bool Failing => ConsecutiveFailures > 0;
}
