using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Revisions;

namespace IncidentResponder.Core.Triage;

/// <summary>What to do with one confirmed signal.</summary>
/// <param name="Match">Open, join or reopen, and which incident.</param>
/// <param name="Event">The event to apply to that incident's status (Opened for a new one).</param>
/// <param name="Spec">For a new incident: the spec to create it with.</param>
/// <param name="BadRevision">The revision to mark known-bad in the revision history, for rollout signals.</param>
public sealed record TriageDecision(IncidentMatch Match, IncidentEvent Event, IncidentSpec? Spec, long? BadRevision);

/// <summary>Triage of one confirmed signal: which incident, how severe, what changed.</summary>
public static class SignalTriage
{
    public static TriageDecision Triage(
        DetectedSignal signal,
        DetectionInput observed,
        IEnumerable<IncidentSummary> incidents,
        RevisionHistory history,
        EffectivePolicy policy,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(policy);
        var observedSignal = ObservedSignal.From(signal);
        var deployment = observed.Deployment;
        var match = IncidentMatcher.Match(deployment.Name, observedSignal.Fingerprint, incidents, policy.Detection.ReopenWindow, now);
        var badRevision = signal.Path == SignalPath.Rollout ? signal.Key.Revision : null;
        switch (match.Kind)
        {
            case MatchKind.Join:
                return new TriageDecision(match, new IncidentEvent.SignalObserved(observedSignal), null, badRevision);
            case MatchKind.Reopen:
                return new TriageDecision(match, new IncidentEvent.Reopened(observedSignal, match.Reason), null, badRevision);
        }

        var failing = observed.ReplicaSets.FirstOrDefault(rs => rs.Revision == signal.Key.Revision);
        // Off the rollout path no older revision serves as a workaround: the exhaustion table applies.
        var severity = signal.Path == SignalPath.StableRevision
            ? Exhaustion.ExhaustionSeverity.Classify(deployment, signal.Key.Type, policy.SeverityOverrides)
            : SeverityClassifier.Classify(deployment,
                observed.ReplicaSets.Where(rs => rs != failing).Sum(rs => rs.ReadyReplicas), signal.Key.Type, policy.SeverityOverrides);
        var change = failing is null ? null : ChangeSummary.Build(failing, GoodRevision(failing, observed.ReplicaSets, history, policy, now));
        var spec = new IncidentSpec
        {
            TargetRef = new TargetReference { ApiVersion = "apps/v1", Kind = deployment.Kind, Name = deployment.Name },
            Signal = new Signal
            {
                Type = signal.Key.Type,
                Reason = signal.Reason,
                Message = ActionRecords.Truncate(signal.Message, 4096),
                Fingerprint = observedSignal.Fingerprint,
                FirstSeen = signal.FirstSeen.UtcDateTime,
            },
            Severity = severity.Severity,
            Summary = ActionRecords.Truncate(
                $"{deployment.Name}: {signal.Key.Type} ({signal.Reason}); {deployment.ReadyReplicas} of {deployment.DesiredReplicas} replicas ready"),
            PolicyRef = new LocalObjectReference { Name = policy.Name },
            Source = IncidentSource.Detector,
        };
        return new TriageDecision(match, new IncidentEvent.Opened(observedSignal, severity, signal.FirstSeen, change), spec, badRevision);
    }

    /// <summary>The revision "what changed" compares with: the one a rollback would return to.</summary>
    private static ReplicaSetObservation? GoodRevision(
        ReplicaSetObservation failing, IEnumerable<ReplicaSetObservation> replicaSets, RevisionHistory history, EffectivePolicy policy, DateTimeOffset now) =>
        UndoTargetSelector.Select(UndoTarget.LastKnownGood, failing.Revision, replicaSets, history, policy.Detection.LastKnownGoodSoak, now).Target;
}
