namespace IncidentResponder.Core.Exhaustion;

/// <summary>
/// When restarts are a storm and how node OOM events are matched to pods. Not in the v1alpha1 API; the defaults sit
/// above what a CrashLoopBackOff's back-off produces on a healthy-but-slow starter (a handful of restarts) and below a
/// workload that is killed every minute or two.
/// </summary>
/// <param name="StormRestarts">A container restarting at least this often within <paramref name="StormWindow"/> is in a storm.</param>
/// <param name="NodeOomTolerance">A node OOM event and a container termination this close in time are the same kill.</param>
public sealed record ExhaustionThresholds(int StormRestarts, TimeSpan StormWindow, TimeSpan NodeOomTolerance)
{
    public static ExhaustionThresholds Default { get; } = new(5, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30));
}
