using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Probes;

/// <summary>Turns a policy probe that failed for its threshold into a HealthCheckFailing signal on the Deployment it probes.</summary>
public static class ProbeSignal
{
    /// <summary>The signal reason: the raw fact beside the signal type, as a pod's CrashLoopBackOff is.</summary>
    public const string Reason = "HttpProbeFailed";

    /// <summary>
    /// The signal, or null while the streak is under the threshold. On a revision rolled out recently the rollback path
    /// owns it (a probe that starts failing right after a rollout blames the rollout); otherwise it is a stable
    /// revision's failure.
    /// </summary>
    public static DetectedSignal? From(PolicyProbeSettings probe, ProbeStreak streak, DetectionInput observed, DetectionResult detection)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(streak);
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(detection);
        if (!streak.Confirmed(probe.FailureThreshold) || streak.Last is not { } last || streak.FailingSince is not { } since)
        {
            return null;
        }

        var deployment = observed.Deployment;
        var key = new SignalKey(deployment.Namespace, deployment.Name, SignalType.HealthCheckFailing, deployment.CurrentRevision);
        var path = detection.NewRevisionIsRecent ? SignalPath.Rollout : SignalPath.StableRevision;
        var message = $"probe {probe.Name} failed {streak.ConsecutiveFailures} times in a row (threshold {probe.FailureThreshold}): {last.Reason}";
        return new DetectedSignal(key, path, Reason, message, ValueList<string>.Empty, observed.Pods.Count, since);
    }
}
