using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.History;
using IncidentResponder.Operator.Hosting;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Finalizers;
using IncidentResponder.Runtime.Hosting;
using IncidentResponder.Runtime.Informers;
using IncidentResponder.Runtime.Metrics;
using IncidentResponder.Runtime.Status;
using k8s;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.History;

/// <summary>
/// Puts the history feature together when <see cref="OperatorOptions.HistoryDatabase"/> is set: the store, its
/// controller on a queue of its own, its metrics, and its non-critical readiness check. Without a connection string
/// nothing is added and the operator runs on status alone.
/// </summary>
public static class HistoryWiring
{
    /// <returns>The running feature's parts, or null when history is not configured.</returns>
    public static HistoryFeature? Add(ControllerManager manager, ClusterCache cache, IKubernetes client, OperatorOptions options,
        RuntimeMetrics metrics, ILoggerFactory loggers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(loggers);
        if (string.IsNullOrWhiteSpace(options.HistoryDatabase))
        {
            return null;
        }

        var timings = options.HistoryTimings;
        var store = HistoryStore.Open(options.HistoryDatabase);
        var backlog = new HistoryBacklog(timings.MaxBufferedEntriesPerIncident, time);
        var historyMetrics = new HistoryMetrics(metrics.Registry, backlog);
        var health = new HistoryHealth(store, backlog, time);
        var reconciler = new HistoryReconciler(
            request => cache.Incident(request.Namespace ?? string.Empty, request.Name),
            store,
            new IncidentArtifacts(client),
            new Finalizers<Incident>(new CustomObjectClient<Incident>(client, GroupVersion.Group, GroupVersion.Version, Incident.Plural)),
            backlog, historyMetrics, health, timings, time, loggers.CreateLogger<HistoryReconciler>());
        var controller = new Controller(new ControllerOptions { Name = HistoryReconciler.Name, MaxConcurrentReconciles = 2 }, reconciler, metrics,
            loggers.CreateLogger($"IncidentResponder.Controller.{HistoryReconciler.Name}"), time);
        reconciler.Wake = controller.Enqueue;
        manager.Add(controller);
        manager.AddReadinessCheck(health);

        foreach (var informer in cache.Incidents.Members)
        {
            // Buffer each version's timeline before the key is queued: the reconcile may only see a later, trimmed one.
            informer.AddEventHandler(new InformerEventHandler<CachedResource<Incident>>(
                onAdd: (incident, _) => Observed(incident.Object),
                onUpdate: (_, incident) => Observed(incident.Object),
                onDelete: incident =>
                {
                    backlog.Departed(incident.Object);
                    controller.Enqueue(Key(incident.Object));
                }));
        }

        return new HistoryFeature(store, backlog, health);

        void Observed(Incident incident)
        {
            backlog.Observe(incident);
            controller.Enqueue(Key(incident));
        }
    }

    private static ReconcileRequest Key(Incident incident) => new(incident.Metadata.NamespaceProperty, incident.Metadata.Name);
}

/// <summary>The history feature of one operator instance.</summary>
public sealed record HistoryFeature(HistoryStore Store, HistoryBacklog Backlog, HistoryHealth Health);
