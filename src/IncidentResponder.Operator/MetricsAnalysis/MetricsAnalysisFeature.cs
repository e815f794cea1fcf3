using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.Egress;
using IncidentResponder.Operator.Notifications;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Status;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.MetricsAnalysis;

/// <summary>
/// Metric analysis, keyed by Deployment on its own queue (a slow Prometheus never holds up detection from the
/// cluster's objects): woken by the Deployment and its ReplicaSets (a rollout changes what is asked), a policy's spec
/// change, and otherwise by its own poll. Adds the Prometheus readiness check (non-critical).
/// </summary>
public sealed record MetricsAnalysisFeature(MetricsAnalysisOptions Options) : IOperatorFeature
{
    public void Setup(OperatorParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var (client, cache, manager) = (parts.Client, parts.Cache, parts.Manager);
        var health = new MetricsHealth();
        var policies = new CustomObjectClient<RemediationPolicy>(client, GroupVersion.Group, GroupVersion.Version, RemediationPolicy.Plural);
        var logger = manager.Loggers.CreateLogger<MetricsAnalysisReconciler>();
        var opener = new IncidentOpener(client, cache, parts.Observer, parts.Statuses, parts.Events, manager.Loggers.CreateLogger<IncidentOpener>());
        var reconciler = new MetricsAnalysisReconciler(
            cache,
            parts.Policies,
            parts.Observer,
            opener,
            parts.Statuses,
            new PrometheusQueries(EgressHttp.CreateClient(Options.Egress), new TargetSecret(client)),
            new MetricHolds(),
            new MetricsAvailability(new StatusWriter<RemediationPolicy>(policies, logger), health, manager.Time),
            Options,
            manager.Time);
        ControllerBuilder.ManagedBy(manager)
            .Named(MetricsAnalysisReconciler.Name)
            .WithWorkers(2)
            .For(cache.Deployments.Members)
            .Owns(cache.ReplicaSets.Members, "apps", "Deployment")
            .Watches(cache.Policies.Members, p => cache.Deployments.InNamespace(p.Namespace ?? string.Empty).Select(d => new ReconcileRequest(d.Namespace, d.Name)),
                Predicates.GenerationChanged<RemediationPolicy>())
            .Complete(reconciler);
        manager.AddReadinessCheck(health);
    }
}
