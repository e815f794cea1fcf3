using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.Hosting;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Hosting;
using IncidentResponder.Runtime.Metrics;
using IncidentResponder.Runtime.Status;
using k8s;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Notifications;

/// <summary>Puts the notification controller together and connects it to the Incident and policy informers.</summary>
public static class NotificationWiring
{
    // One client for every receiver, for the process's life (connection reuse). No HttpClient timeout: the pipeline
    // times each attempt. Connections are recycled so a receiver's DNS change is followed.
    private static readonly HttpClient Receivers = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <returns>The notifiers' health, a non-critical readiness check.</returns>
    public static NotifierHealth Add(ControllerManager manager, ClusterCache cache, IKubernetes client, OperatorOptions options,
        RuntimeMetrics metrics, ILoggerFactory loggers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(loggers);
        var settings = options.Notifications;
        var health = new NotifierHealth(time, settings.HealthWindow);
        var incidents = new CustomObjectClient<Incident>(client, GroupVersion.Group, GroupVersion.Version, Incident.Plural);
        var reconciler = new NotificationReconciler(
            cache,
            new PolicyResolver(cache, options),
            new NotificationSender(new TargetSecret(client), new DeliveryPipeline(Receivers, settings)),
            incidents,
            new StatusWriter<Incident>(incidents, loggers.CreateLogger<NotificationReconciler>()),
            new NotificationMetrics(metrics.Registry),
            health,
            settings,
            time,
            loggers.CreateLogger<NotificationReconciler>());

        // Two workers: one incident's slow receiver does not hold up another incident's updates.
        var controller = new Controller(new ControllerOptions { Name = NotificationReconciler.Name, MaxConcurrentReconciles = 2 }, reconciler, metrics,
            loggers.CreateLogger($"IncidentResponder.Controller.{NotificationReconciler.Name}"), time);
        manager.Add(controller);

        foreach (var informer in cache.Incidents.Members)
        {
            controller.For(informer);
        }

        // Targets added to a policy start with the incidents already open under it.
        foreach (var informer in cache.Policies.Members)
        {
            controller.Watches(informer, p => cache.IncidentsIn(p.Namespace ?? string.Empty)
                .Where(i => i.Status?.Phase is not (null or IncidentPhase.Resolved))
                .Select(i => new ReconcileRequest(i.Metadata.NamespaceProperty, i.Metadata.Name)));
        }

        return health;
    }
}
