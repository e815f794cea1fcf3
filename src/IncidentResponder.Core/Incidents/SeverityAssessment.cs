using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Incidents;

/// <summary>A severity and the sentence that justifies it (it goes into the timeline).</summary>
public sealed record SeverityAssessment(Severity Severity, string Reason)
{
    /// <summary>
    /// The operator's re-grade of an open incident from the target as it is now: when no replica of a target that
    /// wants some is ready, users get nothing at all, a full outage, so the incident is SEV-1 whatever triage said at
    /// the start. Null when the severity stands, and always while a person's re-grade (spec.regrade) holds: a
    /// person's judgement wins over the operator's. A first rollout still coming up is not an outage: nothing served
    /// users before it, so its pods not being ready yet takes nothing away.
    /// </summary>
    public static SeverityAssessment? FromObserved(Severity current, DeploymentObservation target, Severity? personsSeverity)
    {
        ArgumentNullException.ThrowIfNull(target);
        var firstRolloutComingUp = (target.CurrentRevision ?? 1) <= 1 && target.Condition("Progressing") is not { Reason: "NewReplicaSetAvailable" };
        if (personsSeverity is not null || current == Severity.Sev1 || target.DesiredReplicas <= 0 || target.ReadyReplicas > 0 || firstRolloutComingUp)
        {
            return null;
        }

        return new SeverityAssessment(Severity.Sev1,
            $"{current.Name()} → SEV-1: ready replicas of {target.Kind} {target.Name} fell to 0 of {target.DesiredReplicas}, a full outage");
    }
}
