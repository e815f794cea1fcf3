using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Exhaustion;

/// <summary>
/// The incident-response playbook's severity table for incidents that are not a bad rollout: exhaustion (OOMKilled,
/// RestartStorm) on a revision that did not just change, dependency failures and data issues. There is no older revision serving as a
/// workaround here, so the replica counts say it all: none ready is a full outage (SEV-1); more than half
/// unavailable is significant impact (SEV-2); some capacity lost, or kills the remaining replicas absorb, is degraded
/// with a workaround (SEV-3); a storm that costs no availability yet is low impact (SEV-4). A data issue is at least
/// SEV-2 (the table puts data loss at SEV-1; a person decides whether it is loss). The policy's override wins.
/// </summary>
public static class ExhaustionSeverity
{
    public static SeverityAssessment Classify(DeploymentObservation deployment, SignalType signal, IReadOnlyDictionary<SignalType, Severity> overrides)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(overrides);
        if (overrides.TryGetValue(signal, out var pinned))
        {
            return new SeverityAssessment(pinned, $"{pinned.Name()}: the policy sets {signal} to {pinned.Name()}");
        }

        var desired = deployment.DesiredReplicas;
        var unavailable = Math.Max(deployment.UnavailableReplicas, desired - deployment.AvailableReplicas);
        if (desired > 0 && deployment.ReadyReplicas == 0)
        {
            return new SeverityAssessment(Severity.Sev1, $"SEV-1: {signal} with no ready replicas of {desired}");
        }

        if (desired > 0 && unavailable * 2 > desired)
        {
            return new SeverityAssessment(Severity.Sev2, $"SEV-2: {signal} with {unavailable} of {desired} replicas unavailable");
        }

        if (signal == SignalType.DataIssue)
        {
            return new SeverityAssessment(Severity.Sev2, "SEV-2: a data issue puts correctness at risk whatever the replica counts say");
        }

        if (unavailable > 0)
        {
            return new SeverityAssessment(Severity.Sev3, $"SEV-3: {signal}; {unavailable} of {desired} replicas unavailable, the rest still serve");
        }

        return signal == SignalType.RestartStorm
            ? new SeverityAssessment(Severity.Sev4, $"SEV-4: {signal} while all {desired} replicas are available, limited impact so far")
            : new SeverityAssessment(Severity.Sev3, $"SEV-3: {signal}; all {desired} replicas available but requests on the killed or failing pods are lost");
    }
}
