using IncidentResponder.Api.V1Alpha1;
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
        var active = cache.IncidentsIn(ns).Count(i => i.Spec.PolicyRef?.Name == policy.Metadata.Name && i.Status?.Phase is not (null or IncidentPhase.Resolved));
        var now = time.GetUtcNow();
        await writer.UpdateAsync(policy, p =>
        {
            p.Status ??= new RemediationPolicyStatus();
            p.Status.ObservedGeneration = p.Metadata.Generation;
            p.Status.GovernedTargets = governed;
            p.Status.ActiveIncidents = active;
            p.Status.Conditions ??= [];
            StatusConditions.Set(p.Status.Conditions, Api.V1Alpha1.Conditions.Ready,
                missing.Count == 0 ? StatusConditions.True : StatusConditions.False,
                missing.Count == 0 ? Api.V1Alpha1.Conditions.Reasons.Valid : Api.V1Alpha1.Conditions.Reasons.RunbookNotFound,
                missing.Count == 0
                    ? $"governs {governed} Deployments; {active} open incidents"
                    : $"runbooks missing or invalid: {string.Join(", ", missing)}",
                p.Metadata.Generation, now);
        }, cancellationToken);
        return ReconcileResult.Done;
    }
}
