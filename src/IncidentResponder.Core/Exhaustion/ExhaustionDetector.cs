using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;

namespace IncidentResponder.Core.Exhaustion;

/// <summary>
/// The rollout detector, extended with exhaustion: OOM kills also known by exit code 137 with rising restarts and by
/// node OOMKilling events, and restart storms. Same thresholds (minAffectedPods AND minAffectedPercent of a
/// revision), same hysteresis, same path split: signals on the new revision of a recent rollout belong to the
/// rollback path; on a revision that did not just change, they are resource exhaustion. The shell calls this instead
/// of <see cref="RolloutFailureDetector.Detect"/>; the result is a superset of the rollout detector's.
/// </summary>
public static class ExhaustionDetector
{
    public static ExhaustionDetection Detect(
        ExhaustionInput input,
        DetectionThresholds thresholds,
        ExhaustionThresholds exhaustion,
        HysteresisState state,
        RestartHistory restarts,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(exhaustion);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(restarts);
        var observed = input.Observed;
        var deployment = observed.Deployment;
        var rollout = RolloutFailureDetector.Detect(observed, thresholds, state, now);
        var history = restarts.Advance(deployment.Namespace, deployment.Name, observed.Pods, exhaustion.StormWindow, now);
        var nodeKills = NodeOomCorrelator.Correlate(deployment.Namespace, input.NodeOomEvents, observed.Pods, input.Placements, exhaustion.NodeOomTolerance);

        // Candidates: the rollout detector's pod signals, with its OOMKilled replaced by the wider evidence below.
        var candidates = rollout.Confirmed.Concat(rollout.Pending).Where(s => s.Key.Type != SignalType.RolloutStuck).ToList();
        foreach (var replicaSet in observed.ReplicaSets.OrderByDescending(rs => rs.Revision))
        {
            var pods = observed.Pods.Where(p => p.OwnerReplicaSet == replicaSet.Name
                || (p.OwnerReplicaSet is null && p.PodTemplateHash == replicaSet.PodTemplateHash)).ToList();
            if (pods.Count == 0)
            {
                continue;
            }

            var path = rollout.NewRevisionIsRecent && replicaSet.Revision == rollout.NewRevision ? SignalPath.Rollout : SignalPath.StableRevision;
            var evidence = pods.Select(p => PodExhaustionClassifier.Classify(deployment.Namespace, deployment.Name, p, history, nodeKills, exhaustion,
                PodSignalClassifier.OomLookback, now)).ToList();
            Replace(candidates, OomSignal(deployment, replicaSet, pods.Count, evidence, path, thresholds, now));
            Replace(candidates, StormSignal(deployment, replicaSet, pods.Count, evidence, path, thresholds, exhaustion, now));
        }

        var nextState = state.Advance(deployment.Namespace, deployment.Name, candidates.Select(c => c.Key), now);
        var confirmed = rollout.Confirmed.Where(s => s.Key.Type == SignalType.RolloutStuck).ToList();
        var pending = new List<DetectedSignal>();
        foreach (var candidate in candidates)
        {
            var since = nextState.SinceOf(candidate.Key) ?? now;
            (now - since >= thresholds.HoldFor ? confirmed : pending).Add(candidate with { FirstSeen = since });
        }

        return new ExhaustionDetection(new DetectionResult(new(confirmed), new(pending), nextState, rollout.RecentRollout, rollout.NewRevision)
        {
            NewRevisionIsRecent = rollout.NewRevisionIsRecent,
        }, history);
    }

    private static void Replace(List<DetectedSignal> candidates, DetectedSignal? signal)
    {
        if (signal is null)
        {
            return;
        }

        var index = candidates.FindIndex(c => c.Key == signal.Key);
        if (index >= 0)
        {
            candidates[index] = signal;
        }
        else
        {
            candidates.Add(signal);
        }
    }

    private static DetectedSignal? OomSignal(
        DeploymentObservation deployment, ReplicaSetObservation replicaSet, int total, List<PodExhaustionEvidence> evidence,
        SignalPath path, DetectionThresholds thresholds, DateTimeOffset now)
    {
        var affected = evidence.Where(e => e.Oom is not null).ToList();
        if (!RolloutFailureDetector.MeetsThreshold(affected.Count, total, thresholds))
        {
            return null;
        }

        var strongest = affected.Min(e => e.Oom!.Value);
        var how = string.Join(", ", affected.GroupBy(e => e.Oom!.Value).OrderBy(g => g.Key).Select(g => $"{g.Count()} by {Describe(g.Key)}"));
        var message = $"{affected.Count}/{total} pods of revision {replicaSet.Revision} ({replicaSet.Name}) were OOM-killed ({how})";
        return Signal(deployment, replicaSet, SignalType.OOMKilled, path, strongest.ToString(), message, affected.Select(e => e.Pod), total, now);
    }

    private static DetectedSignal? StormSignal(
        DeploymentObservation deployment, ReplicaSetObservation replicaSet, int total, List<PodExhaustionEvidence> evidence,
        SignalPath path, DetectionThresholds thresholds, ExhaustionThresholds exhaustion, DateTimeOffset now)
    {
        var affected = evidence.Where(e => e.StormContainers.Count > 0).ToList();
        if (!RolloutFailureDetector.MeetsThreshold(affected.Count, total, thresholds))
        {
            return null;
        }

        var message = $"{affected.Count}/{total} pods of revision {replicaSet.Revision} ({replicaSet.Name}) restarted at least " +
            $"{exhaustion.StormRestarts} times in {Time.GoDuration.Format(exhaustion.StormWindow)}";
        return Signal(deployment, replicaSet, SignalType.RestartStorm, path, "RestartStorm", message, affected.Select(e => e.Pod), total, now);
    }

    private static DetectedSignal Signal(
        DeploymentObservation deployment, ReplicaSetObservation replicaSet, SignalType type, SignalPath path, string reason, string message,
        IEnumerable<string> pods, int total, DateTimeOffset now) =>
        new(new SignalKey(deployment.Namespace, deployment.Name, type, replicaSet.Revision), path, reason, message,
            new(pods.Order(StringComparer.Ordinal)), total, now);

    private static string Describe(OomEvidenceKind kind) => kind switch
    {
        OomEvidenceKind.OOMKilled => "container status OOMKilled",
        OomEvidenceKind.ExitCode137 => "exit code 137 with rising restarts",
        _ => "node OOMKilling event",
    };
}
