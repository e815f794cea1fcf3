using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Exhaustion;

/// <summary>How a pod's OOM kill is known, from most to least direct.</summary>
public enum OomEvidenceKind
{
    /// <summary>lastState.terminated.reason == OOMKilled.</summary>
    OOMKilled,

    /// <summary>Exit code 137 (SIGKILL) with restarts rising: the OOM reason was lost.</summary>
    ExitCode137,

    /// <summary>An OOMKilling event on the pod's node, matched to the pod.</summary>
    NodeOOMKilling,
}

/// <summary>What one pod shows of exhaustion right now.</summary>
/// <param name="Oom">How it is known to be OOM-killed, if it is (the most direct evidence).</param>
/// <param name="OomContainers">Containers killed for memory (empty when only a node event names the pod).</param>
/// <param name="StormContainers">Containers restarting at least the storm threshold within the window, for reasons other than OOM.</param>
public sealed record PodExhaustionEvidence(string Pod, OomEvidenceKind? Oom, ValueList<string> OomContainers, ValueList<string> StormContainers);

/// <summary>Reads one pod for OOM kills (three ways) and restart storms. Pure: the history and "now" are inputs.</summary>
public static class PodExhaustionClassifier
{
    /// <param name="oomLookback">A kill counts while this recent (lastState keeps the last termination forever).</param>
    /// <param name="nodeKills">Node OOM events already matched to pods of the target.</param>
    public static PodExhaustionEvidence Classify(
        string @namespace,
        string target,
        PodObservation pod,
        RestartHistory history,
        IReadOnlyList<NodeOomMatch> nodeKills,
        ExhaustionThresholds thresholds,
        TimeSpan oomLookback,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(nodeKills);
        ArgumentNullException.ThrowIfNull(thresholds);
        OomEvidenceKind? strongest = null;
        var oom = new List<string>();
        var storm = new List<string>();
        foreach (var container in pod.Containers)
        {
            var recent = container.LastTerminatedAt is not { } finished || now - finished <= oomLookback;
            var rise = history.RiseWithin(@namespace, target, pod, container, thresholds.StormWindow, now);
            OomEvidenceKind? kind = !recent ? null
                : container.LastTerminatedReason == "OOMKilled" ? OomEvidenceKind.OOMKilled
                : container.LastTerminatedExitCode == 137 && rise > 0 ? OomEvidenceKind.ExitCode137
                : null;
            if (kind is { } found)
            {
                oom.Add(container.Name);
                strongest = Stronger(strongest, found);
            }
            else if (rise >= thresholds.StormRestarts)
            {
                storm.Add(container.Name);
            }
        }

        if (nodeKills.Any(k => k.Pod == pod.Name && now - k.Time <= oomLookback))
        {
            strongest = Stronger(strongest, OomEvidenceKind.NodeOOMKilling);

            // The restarts the node event explains are OOM kills, not an unexplained storm.
            storm.Clear();
        }

        return new PodExhaustionEvidence(pod.Name, strongest, new(oom), new(storm));
    }

    private static OomEvidenceKind Stronger(OomEvidenceKind? current, OomEvidenceKind candidate) =>
        current is { } known && known < candidate ? known : candidate;
}
