using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Probes;

/// <summary>
/// Health probes as detection, keyed by Deployment: each reconcile runs the probes that are due and asks to come back
/// when the next one is; a policy's spec change (probes added, changed, removed) wakes the Deployments of its namespace.
/// </summary>
public sealed record ProbeDetectionFeature : IOperatorFeature
{
    public void Setup(OperatorParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var (cache, loggers) = (parts.Cache, parts.Manager.Loggers);
        var opener = new IncidentOpener(parts.Client, cache, parts.Observer, parts.Statuses, parts.Events, loggers.CreateLogger<IncidentOpener>());
        ControllerBuilder.ManagedBy(parts.Manager)
            .Named(ProbeDetectionReconciler.Name)
            .WithWorkers(2)
            .For(cache.Deployments.Members)
            .Watches(cache.Policies.Members, p => DeploymentsIn(cache, p.Namespace ?? string.Empty), Predicates.GenerationChanged<RemediationPolicy>())
            .Complete(new ProbeDetectionReconciler(cache, parts.Policies, parts.Observer, opener, parts.Probing, parts.Manager.Time,
                loggers.CreateLogger<ProbeDetectionReconciler>()));
    }

    private static IEnumerable<ReconcileRequest> DeploymentsIn(ClusterCache cache, string ns) =>
        cache.Deployments.InNamespace(ns).Select(d => new ReconcileRequest(d.Namespace, d.Name));
}
