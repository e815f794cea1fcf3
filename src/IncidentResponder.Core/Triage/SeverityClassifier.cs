using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Triage;

/// <summary>
/// The incident-response playbook's severity table, reduced to what a Deployment's replica counts can tell: no ready replicas is a full
/// outage (SEV-1); more than half unavailable is significant impact (SEV-2); degraded while the old revision still
/// serves has a workaround in place (SEV-3); anything else is low impact (SEV-4). A policy may pin a signal's severity.
/// </summary>
public static class SeverityClassifier
{
    /// <param name="oldRevisionReadyReplicas">Ready replicas of ReplicaSets other than the new one.</param>
    public static SeverityAssessment Classify(
        DeploymentObservation deployment,
        int oldRevisionReadyReplicas,
        SignalType signal,
        IReadOnlyDictionary<SignalType, Severity> overrides)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(overrides);
        if (overrides.TryGetValue(signal, out var pinned))
        {
            return new SeverityAssessment(pinned, $"{pinned.Name()}: the policy sets {signal} to {pinned.Name()}");
        }

        var desired = deployment.DesiredReplicas;
        if (desired > 0 && deployment.ReadyReplicas == 0)
        {
            return new SeverityAssessment(Severity.Sev1, $"SEV-1: no ready replicas of {desired}");
        }

        var unavailable = Math.Max(deployment.UnavailableReplicas, desired - deployment.AvailableReplicas);
        if (desired > 0 && unavailable * 2 > desired)
        {
            return new SeverityAssessment(Severity.Sev2, $"SEV-2: {unavailable} of {desired} replicas unavailable");
        }

        if (oldRevisionReadyReplicas > 0)
        {
            return new SeverityAssessment(Severity.Sev3,
                $"SEV-3: degraded, the previous revision still serves with {oldRevisionReadyReplicas} ready replicas");
        }

        return new SeverityAssessment(Severity.Sev4, $"SEV-4: {deployment.ReadyReplicas} of {desired} replicas ready, limited impact");
    }

    /// <summary>SEV-1 is the worst; "at least as severe as" compares the other way round from the numbers.</summary>
    public static bool AtLeast(Severity severity, Severity threshold) => (int)severity <= (int)threshold;
}
