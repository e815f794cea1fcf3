using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Alerts;
using IncidentResponder.Core.Policy;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Status;
using StatusConditions = IncidentResponder.Runtime.Status.Conditions;

namespace IncidentResponder.Operator.Controllers;

/// <summary>
/// Keyed by RemediationPolicy: Ready when every runbook it routes to exists and is valid, plus how many Deployments it
/// governs and how many of its incidents are open. The operator writes only the policy's status.
/// </summary>
public sealed class PolicyStatusReconciler(ClusterCache cache, PolicyResolver policies, StatusWriter<RemediationPolicy> writer, TimeProvider time) : IReconciler
{
    public const string Name = "policy-status";

    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var ns = request.Namespace ?? string.Empty;
        var policy = cache.Policy(ns, request.Name);
        if (policy is null)
        {
            return ReconcileResult.Done;
        }

        var missing = policy.Spec.Signals.Select(s => s.RunbookRef.Name).Distinct(StringComparer.Ordinal)
            .Where(name => cache.Runbook(ns, name) is not { } runbook || RunbookStatusReconciler.Problem(runbook.Spec) is not null)
            .ToList();
        // Counted as the detection controller decides: a Deployment counts only for the policy that actually governs it.
        var governed = cache.Deployments.InNamespace(ns).Count(d => policies.Governing(d)?.Metadata.Name == policy.Metadata.Name);
        var active = cache.IncidentsIn(ns).Count(i => i.Spec.PolicyRef?.Name == policy.Metadata.Name && i.Status?.Phase is not (null or IncidentPhase.Resolved or IncidentPhase.Cancelled));
        // A regular expression CEL cannot check at apply time: the route never matches, and Ready says which one.
        var badRoute = AlertRouteValidator.Problem(policy.Spec.Alerts);
        // A cron field out of range or an unknown time zone passes the schema: that window is left out, and Ready names it.
        var badWindows = MaintenanceWindows.From(policy.Spec.MaintenanceWindows).Problems;
        var now = time.GetUtcNow();
        await writer.UpdateAsync(policy, p =>
        {
            p.Status ??= new RemediationPolicyStatus();
            p.Status.ObservedGeneration = p.Metadata.Generation;
            p.Status.GovernedTargets = governed;
            p.Status.ActiveIncidents = active;
            p.Status.Conditions ??= [];
            var (status, reason, message) = missing.Count > 0
                ? (StatusConditions.False, Api.V1Alpha1.Conditions.Reasons.RunbookNotFound, $"runbooks missing or invalid: {string.Join(", ", missing)}")
                : badRoute is not null
                    ? (StatusConditions.False, AlertSettings.InvalidRouteReason, badRoute)
                    : badWindows.Count > 0
                        ? (StatusConditions.False, MaintenanceWindow.InvalidReason, string.Join("; ", badWindows))
                        : (StatusConditions.True, Api.V1Alpha1.Conditions.Reasons.Valid, $"governs {governed} Deployments; {active} open incidents");
            StatusConditions.Set(p.Status.Conditions, Api.V1Alpha1.Conditions.Ready, status, reason, message, p.Metadata.Generation, now);
        }, cancellationToken);
        return ReconcileResult.Done;
    }
}
