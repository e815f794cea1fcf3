using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.Egress;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Status;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Notifications;

/// <summary>
/// Notifications, keyed by Incident on their own queue: woken by every change of an Incident and, so that targets
/// added to a policy start with the incidents already open under it, by a policy change. Adds the notifiers' health
/// as a non-critical readiness check.
/// </summary>
public sealed record NotificationFeature(NotificationOptions Options) : IOperatorFeature
{
    public void Setup(OperatorParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var (client, cache, manager) = (parts.Client, parts.Cache, parts.Manager);

        // One client for every receiver of this operator (connection reuse), held to the admin's egress policy.
        var receivers = EgressHttp.CreateClient(Options.Egress);
        var health = new NotifierHealth(manager.Time, Options.HealthWindow);
        var incidents = new CustomObjectClient<Incident>(client, GroupVersion.Group, GroupVersion.Version, Incident.Plural);
        var reconciler = new NotificationReconciler(
            cache,
            parts.Policies,
            new NotificationSender(new TargetSecret(client), new DeliveryPipeline(receivers, Options)),
            incidents,
            new StatusWriter<Incident>(incidents, manager.Loggers.CreateLogger<NotificationReconciler>()),
            new NotificationMetrics(manager.Metrics.Registry),
            health,
            Options,
            manager.Time,
            manager.Loggers.CreateLogger<NotificationReconciler>());

        // Two workers: one incident's slow receiver does not hold up another incident's updates.
        ControllerBuilder.ManagedBy(manager)
            .Named(NotificationReconciler.Name)
            .WithWorkers(2)
            .For(cache.Incidents.Members)
            .Watches(cache.Policies.Members, p => cache.IncidentsIn(p.Namespace ?? string.Empty)
                .Where(i => i.Status?.Phase is not (null or IncidentPhase.Resolved or IncidentPhase.Cancelled))
                .Select(i => new ReconcileRequest(i.Metadata.NamespaceProperty, i.Metadata.Name)))
            .Complete(reconciler);
        manager.AddReadinessCheck(health);
    }
}
