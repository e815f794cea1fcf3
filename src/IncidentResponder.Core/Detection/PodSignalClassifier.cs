using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Detection;

/// <summary>A failure a single pod shows right now, with the raw Kubernetes reason.</summary>
public sealed record PodSignal(SignalType Type, string Reason);

/// <summary>
/// Reads one pod's container statuses the way a person reads <c>kubectl get pods</c>: which failure, if any, is it
/// showing? Pure: "now" is a parameter, so the same pod at the same instant always gives the same answer.
/// </summary>
public static class PodSignalClassifier
{
    /// <summary>
    /// How long an OOM kill stays evidence. Its own constant, not the policy's recentRolloutWindow: that window answers
    /// "was there a recent deployment?", and a short one (say 1s) made every kill vanish a second after it happened,
    /// so a pod in an OOM crash loop never held its signal for holdFor and no incident opened. Ten minutes covers the
    /// kubelet's longest crash back-off (5 minutes) plus the run until the next kill, and equals the restart-storm window.
    /// </summary>
    public static readonly TimeSpan OomLookback = TimeSpan.FromMinutes(10);

    private static readonly Dictionary<string, SignalType> WaitingReasons = new(StringComparer.Ordinal)
    {
        ["ErrImagePull"] = SignalType.ImagePull,
        ["ImagePullBackOff"] = SignalType.ImagePull,
        ["InvalidImageName"] = SignalType.ImagePull,
        ["CreateContainerConfigError"] = SignalType.ConfigError,
    };

    /// <param name="readinessGrace">How long a running pod may stay unready (slow start) before it counts.</param>
    /// <param name="oomLookback">
    /// An OOM kill counts while it is this recent: lastState keeps the last termination forever, and a pod that was
    /// OOM-killed an hour ago and has run fine since is not failing now.
    /// </param>
    /// <param name="crashLoop">Whether a brief run between crash back-offs still counts (see <see cref="CrashLoopDetection"/>).</param>
    public static IReadOnlyList<PodSignal> Classify(
        PodObservation pod, DateTimeOffset now, TimeSpan readinessGrace, TimeSpan oomLookback,
        CrashLoopEvidence crashLoop = CrashLoopEvidence.WaitingOnly)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var signals = new List<PodSignal>();
        foreach (var container in pod.Containers)
        {
            // Named after the kubelet's loop even while the container is briefly running between back-offs: it is
            // the same CrashLoopBackOff, and one name keeps the signal's reason stable across observations.
            if (CrashLoopDetection.IsCrashLooping(container, now, crashLoop))
            {
                Add(signals, SignalType.CrashLoop, "CrashLoopBackOff");
            }

            if (container.WaitingReason is { } waiting && WaitingReasons.TryGetValue(waiting, out var type))
            {
                Add(signals, type, waiting);
            }

            if (container.LastTerminatedReason == "OOMKilled"
                && (container.LastTerminatedAt is not { } finished || now - finished <= oomLookback))
            {
                Add(signals, SignalType.OOMKilled, "OOMKilled");
            }
        }

        // A crashing container also makes its pod unready; readiness only counts when nothing louder explains it.
        if (signals.Count == 0 && IsRunningButUnreadyBeyondGrace(pod, now, readinessGrace))
        {
            signals.Add(new PodSignal(SignalType.ReadinessFailing, "ReadinessProbeFailing"));
        }

        return signals;
    }

    private static bool IsRunningButUnreadyBeyondGrace(PodObservation pod, DateTimeOffset now, TimeSpan grace) =>
        pod.Phase == "Running"
        && !pod.Ready
        && pod.Containers.Count > 0
        && pod.Containers.All(c => c.Running)
        && now - (pod.NotReadySince ?? pod.CreatedAt) >= grace;

    private static void Add(List<PodSignal> signals, SignalType type, string reason)
    {
        if (!signals.Exists(s => s.Type == type))
        {
            signals.Add(new PodSignal(type, reason));
        }
    }
}
