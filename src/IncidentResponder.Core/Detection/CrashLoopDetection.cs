using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Detection;

/// <summary>What counts as a container being in a crash loop.</summary>
public enum CrashLoopEvidence
{
    /// <summary>Only the kubelet's own word: state <c>waiting: CrashLoopBackOff</c>.</summary>
    WaitingOnly,

    /// <summary>
    /// Waiting in CrashLoopBackOff, or running again (or dead, not yet restarted) shortly after a failed termination.
    /// Used for the new revision of a recent rollout, whose pods are young, so every restart they show is this revision's.
    /// </summary>
    WaitingOrRecentFailure,
}

/// <summary>
/// Is a container crash-looping, including the moments between back-offs? A crash-looping container alternates:
/// it runs briefly (kubectl shows <c>Running</c>, RESTARTS "n (5s ago)"), fails, then waits in CrashLoopBackOff with a
/// growing back-off. Counting only the waiting state makes every brief run look healthy, which restarts the
/// hysteresis hold and drops the pod from the affected share; a person reading <c>kubectl get pods</c> would say the
/// pod is crash-looping the whole time.
/// </summary>
public static class CrashLoopDetection
{
    /// <summary>
    /// The kubelet's maximum crash back-off. Early in a loop (back-offs of 10 s, 20 s, 40 s…) every run starts well
    /// within this of the failure before it, so the loop never drops out; late in a loop the container spends most
    /// of each cycle waiting in CrashLoopBackOff anyway. A failure older than this, with the container running since,
    /// is history, not a loop.
    /// </summary>
    public static readonly TimeSpan RecentFailureWindow = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The kubelet restarts a container at once after its first failure and backs off from the second on; one
    /// failure followed by a run is a single crash, not a loop.
    /// </summary>
    public const int MinRestarts = 2;

    public static bool IsCrashLooping(ContainerObservation container, DateTimeOffset now, CrashLoopEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (container.WaitingReason == "CrashLoopBackOff")
        {
            return true;
        }

        // While waiting for any other reason, that reason is the diagnosis (ErrImagePull, CreateContainerConfigError)
        // or an ordinary start step; the last termination only fills the gaps the waiting state leaves.
        return evidence == CrashLoopEvidence.WaitingOrRecentFailure
            && container.WaitingReason is null
            && container.RestartCount >= MinRestarts
            && LastTerminationFailed(container)
            && container.LastTerminatedAt is { } finished
            && now - finished <= RecentFailureWindow;
    }

    /// <summary>
    /// A non-zero exit (exit code 0 is a clean exit). An OOM kill is left to the more specific OOMKilled signal, which
    /// already stays visible while the container runs again (its own lookback), so it is not reported twice.
    /// </summary>
    private static bool LastTerminationFailed(ContainerObservation container) =>
        container.LastTerminatedReason != "OOMKilled"
        && (container.LastTerminatedExitCode is { } exitCode
            ? exitCode != 0
            : container.LastTerminatedReason is { } reason && reason != "Completed");
}
