using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Alerts;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Metrics;
using IncidentResponder.Core.Probes;
using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Planning;

/// <summary>Builds the verification facts from the same observations detection uses.</summary>
public static class VerificationSnapshotBuilder
{
    /// <param name="status">The incident's status: an alert signal on it that Alertmanager has not resolved still counts.</param>
    /// <param name="probes">The step's probe as run now, and whether a policy probe still fails on the target.</param>
    public static VerificationSnapshot Build(DetectionInput observed, DetectionResult detection, IncidentStatus? status = null, ProbeFacts? probes = null)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(detection);
        var deployment = observed.Deployment;
        var current = RolloutRecency.NewReplicaSet(deployment, observed.ReplicaSets);
        var pods = current is null
            ? []
            : observed.Pods.Where(p => p.OwnerReplicaSet == current.Name || (p.OwnerReplicaSet is null && p.PodTemplateHash == current.PodTemplateHash)).ToList();

        // A StatefulSet or DaemonSet has no Available condition; its replica counts alone say it.
        var available = deployment.FullyAvailable && (deployment.Kind != WorkloadKinds.Deployment || deployment.Condition("Available") is { Status: "True" });
        var podsReady = pods.Count >= deployment.DesiredReplicas && pods.All(p => p.Ready);

        // Only signals of the revision now serving count: after a rollback, the failing revision's last pods are
        // still being torn down and must not fail the rollback's own verification.
        var signal = detection.Confirmed.Concat(detection.Pending)
            .Any(s => s.Key.Type == SignalType.RolloutStuck || s.Key.Revision == current?.Revision);
        // A dependency failing or users seeing errors can leave every pod Ready: while the alert that opened the
        // incident still fires, the mitigation has not verifiably helped, and a flag it flipped stays flipped.
        var alertFiring = status?.Signals?.Exists(s => s.Cleared != true && s.Fingerprint.StartsWith(AlertIncidentNames.SignalPrefix, StringComparison.Ordinal)) == true;
        // A metrics check's signal clears only when the shell saw the check stop holding on the serving revision.
        var metricHolding = status?.Signals?.Exists(s => s.Cleared != true && s.Fingerprint.StartsWith(MetricSignals.Prefix, StringComparison.Ordinal)) == true;
        // Pods can be Ready while the service answers too slowly: a policy probe still failing is a signal still present.
        var probeFailing = probes?.PolicyProbeFailing == true;
        return new VerificationSnapshot(available, podsReady, signal || alertFiring || probeFailing, metricHolding) { Probe = probes?.StepProbe };
    }
}
