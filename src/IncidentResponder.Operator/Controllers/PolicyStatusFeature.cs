using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Status;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Controllers;

/// <summary>
/// Policy status, keyed by RemediationPolicy: woken by the policy, and by any Deployment, Incident or Runbook of its
/// namespace (what it governs, its open incidents, the runbooks it routes to).
/// </summary>
public sealed record PolicyStatusFeature : IOperatorFeature
{
    public void Setup(OperatorParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var cache = parts.Cache;
        var policies = new CustomObjectClient<RemediationPolicy>(parts.Client, GroupVersion.Group, GroupVersion.Version, RemediationPolicy.Plural);
        ControllerBuilder.ManagedBy(parts.Manager)
            .Named(PolicyStatusReconciler.Name)
            .For(cache.Policies.Members)
            .Watches(cache.Deployments.Members, d => PoliciesIn(cache, d.Namespace))
            .Watches(cache.Incidents.Members, i => PoliciesIn(cache, i.Namespace ?? string.Empty))
            .Watches(cache.Runbooks.Members, r => PoliciesIn(cache, r.Namespace ?? string.Empty))
            .Complete(new PolicyStatusReconciler(cache, parts.Policies,
                new StatusWriter<RemediationPolicy>(policies, parts.Manager.Loggers.CreateLogger<PolicyStatusReconciler>()), parts.Manager.Time));
    }

    private static IEnumerable<ReconcileRequest> PoliciesIn(ClusterCache cache, string ns) =>
        cache.PoliciesIn(ns).Select(p => new ReconcileRequest(ns, p.Metadata.Name));
}
