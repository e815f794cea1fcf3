using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;

namespace IncidentResponder.Core.Detection;

/// <summary>
/// Turns one Deployment's observed state into failure signals. A pod signal counts only when enough pods of one
/// revision show it (minAffectedPods AND minAffectedPercent) and has held for holdFor; ProgressDeadlineExceeded
/// counts at once because the Deployment controller has already waited its deadline.
/// </summary>
public static class RolloutFailureDetector
{
    public static DetectionResult Detect(DetectionInput input, DetectionThresholds thresholds, HysteresisState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(state);
        var deployment = input.Deployment;
        var newReplicaSet = RolloutRecency.NewReplicaSet(deployment, input.ReplicaSets);
        var recent = RolloutRecency.IsRecent(deployment, newReplicaSet, input.CurrentRevisionSince, thresholds.RecentRolloutWindow, now);

        var candidates = new List<DetectedSignal>();
        foreach (var replicaSet in input.ReplicaSets.OrderByDescending(rs => rs.Revision))
        {
            var path = recent && replicaSet == newReplicaSet ? SignalPath.Rollout : SignalPath.StableRevision;
            candidates.AddRange(SignalsOverThreshold(deployment, replicaSet, PodsOf(replicaSet, input.Pods), path, thresholds, now));
        }

        var nextState = state.Advance(deployment.Namespace, deployment.Name, candidates.Select(c => c.Key), now);
        var confirmed = new List<DetectedSignal>();
        var pending = new List<DetectedSignal>();
        if (deployment.ProgressDeadlineExceeded)
        {
            confirmed.Add(ProgressDeadlineSignal(deployment, newReplicaSet, now));
        }

        foreach (var candidate in candidates)
        {
            var since = nextState.SinceOf(candidate.Key) ?? now;
            var held = candidate with { FirstSeen = since };
            (now - since >= thresholds.HoldFor ? confirmed : pending).Add(held);
        }

        // An undo needs a revision older than the current one; without one the rollout cannot be the branch that helps.
        var undoable = newReplicaSet is { } current && input.ReplicaSets.Any(rs => rs.Revision < current.Revision);
        return new DetectionResult(new(confirmed), new(pending), nextState, recent && undoable, newReplicaSet?.Revision) { NewRevisionIsRecent = recent };
    }

    private static List<PodObservation> PodsOf(ReplicaSetObservation replicaSet, IEnumerable<PodObservation> pods) =>
        [.. pods.Where(p => p.OwnerReplicaSet == replicaSet.Name
            || (p.OwnerReplicaSet is null && p.PodTemplateHash == replicaSet.PodTemplateHash))];

    private static IEnumerable<DetectedSignal> SignalsOverThreshold(
        DeploymentObservation deployment,
        ReplicaSetObservation replicaSet,
        List<PodObservation> pods,
        SignalPath path,
        DetectionThresholds thresholds,
        DateTimeOffset now)
    {
        if (pods.Count == 0)
        {
            yield break;
        }

        // Pods of a rollout's new revision are young, so a recent failed restart is this revision's failure. On a
        // stable revision restarts accumulate over days; the exhaustion path judges those by restarts rising over time.
        var crashLoop = path == SignalPath.Rollout ? CrashLoopEvidence.WaitingOrRecentFailure : CrashLoopEvidence.WaitingOnly;
        var perPod = pods.Select(pod => (pod, signals: PodSignalClassifier.Classify(pod, now, thresholds.ReadinessGrace, PodSignalClassifier.OomLookback, crashLoop)))
            .ToList();
        foreach (var type in Enum.GetValues<SignalType>())
        {
            var affected = perPod.Where(p => p.signals.Any(s => s.Type == type)).ToList();
            if (!MeetsThreshold(affected.Count, pods.Count, thresholds))
            {
                continue;
            }

            var reason = affected.SelectMany(p => p.signals).First(s => s.Type == type).Reason;
            var names = affected.Select(p => p.pod.Name).Order(StringComparer.Ordinal).ToList();
            var key = new SignalKey(deployment.Namespace, deployment.Name, type, replicaSet.Revision);
            var message = $"{names.Count}/{pods.Count} pods of revision {replicaSet.Revision} ({replicaSet.Name}) show {reason}";
            yield return new DetectedSignal(key, path, reason, message, new(names), pods.Count, now);
        }
    }

    /// <summary>Both thresholds must hold: a count, so one pod of one is not enough, and a share of the revision.</summary>
    public static bool MeetsThreshold(int affected, int total, DetectionThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        return affected > 0
            && affected >= thresholds.MinAffectedPods
            && affected * 100L >= thresholds.MinAffectedPercent * (long)total;
    }

    private static DetectedSignal ProgressDeadlineSignal(DeploymentObservation deployment, ReplicaSetObservation? newReplicaSet, DateTimeOffset now)
    {
        var condition = deployment.Condition("Progressing");
        var key = new SignalKey(deployment.Namespace, deployment.Name, SignalType.RolloutStuck, newReplicaSet?.Revision ?? deployment.CurrentRevision);
        var message = condition?.Message ?? $"Deployment {deployment.Name} exceeded its progress deadline";
        return new DetectedSignal(key, SignalPath.Rollout, "ProgressDeadlineExceeded", message, ValueList<string>.Empty, 0,
            condition?.LastTransitionTime ?? now);
    }
}
