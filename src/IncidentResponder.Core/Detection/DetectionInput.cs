using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Detection;

/// <summary>Everything the detector looks at for one Deployment, at one instant.</summary>
/// <param name="ReplicaSets">ReplicaSets owned by the Deployment.</param>
/// <param name="Pods">Pods owned by those ReplicaSets.</param>
/// <param name="CurrentRevisionSince">When the current revision became current, if known (see <see cref="RolloutRecency"/>).</param>
public sealed record DetectionInput(
    DeploymentObservation Deployment,
    IReadOnlyList<ReplicaSetObservation> ReplicaSets,
    IReadOnlyList<PodObservation> Pods,
    DateTimeOffset? CurrentRevisionSince = null);

/// <summary>What the detector found, and the hysteresis state to feed it next time.</summary>
/// <param name="Confirmed">Signals over the thresholds for at least holdFor: act on these.</param>
/// <param name="Pending">Signals over the thresholds but not yet for holdFor: watch, do not act.</param>
/// <param name="RecentRollout">
/// The answer to "was there a recent deployment?" for this target, the first question of the decision tree, whose
/// YES branch is "roll back". A first revision (a Deployment created minutes ago) has nothing older to roll back to,
/// so for the tree it is no recent rollout: its OOM kills go down the exhaustion branch instead of skipping the undo
/// and landing on "engage additional engineers". <see cref="NewRevisionIsRecent"/> keeps the plain time-based answer.
/// </param>
public sealed record DetectionResult(
    ValueList<DetectedSignal> Confirmed,
    ValueList<DetectedSignal> Pending,
    HysteresisState State,
    bool RecentRollout,
    long? NewRevision)
{
    /// <summary>
    /// The current revision changed within the recent-rollout window (or is still rolling out), older revision or not:
    /// its pods are young, so every failure they show is judged as this revision's (the rollout signal path).
    /// </summary>
    public bool NewRevisionIsRecent { get; init; }

    /// <summary>Failures of the rollout: the rollback path.</summary>
    public IEnumerable<DetectedSignal> RolloutSignals => Confirmed.Where(s => s.Path == SignalPath.Rollout);

    /// <summary>Failures on a revision that did not just change: handed to the exhaustion (OOM) path.</summary>
    public IEnumerable<DetectedSignal> StableRevisionSignals => Confirmed.Where(s => s.Path == SignalPath.StableRevision);
}
