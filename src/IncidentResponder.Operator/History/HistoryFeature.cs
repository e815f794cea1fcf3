using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.History;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Finalizers;
using IncidentResponder.Runtime.Informers;
using IncidentResponder.Runtime.Status;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.History;

/// <summary>
/// The history feature, added when a history database is configured (run --history-database): the store, its
/// reconciler on a queue of its own, its metrics, and its non-critical readiness check. While it is on, Incidents carry
/// the finalizer incidentresponder.dev/history until their final snapshot is recorded. Without it the operator runs on
/// status alone.
/// </summary>
/// <param name="ConnectionString">The Npgsql connection string of the history store.</param>
public sealed record HistoryFeature(string ConnectionString) : IOperatorFeature
{
    /// <summary>How the history store is polled, retried and buffered.</summary>
    public HistoryTimings Timings { get; init; } = new();

    /// <summary>How long evidence (log excerpts, events) is kept after its incident closed; null keeps it.</summary>
    public TimeSpan? EvidenceRetention { get; init; }

    public void Setup(OperatorParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var (client, cache, manager) = (parts.Client, parts.Cache, parts.Manager);
        var store = HistoryStore.Open(ConnectionString);
        var backlog = new HistoryBacklog(Timings.MaxBufferedEntriesPerIncident, manager.Time);
        var health = new HistoryHealth(store, backlog, manager.Time);
        var reconciler = new HistoryReconciler(
            request => cache.Incident(request.Namespace ?? string.Empty, request.Name),
            store,
            new IncidentArtifacts(client),
            new Finalizers<Incident>(new CustomObjectClient<Incident>(client, GroupVersion.Group, GroupVersion.Version, Incident.Plural)),
            backlog, new HistoryMetrics(manager.Metrics.Registry, backlog), health, Timings, manager.Time, manager.Loggers.CreateLogger<HistoryReconciler>());
        var controller = ControllerBuilder.ManagedBy(manager)
            .Named(HistoryReconciler.Name)
            .WithWorkers(2)
            // Buffer each version's timeline before the key is queued: the reconcile may only see a later, trimmed one.
            .Watches(cache.Incidents.Members, enqueue => BufferThenEnqueue(backlog, enqueue))
            .Complete(reconciler);
        reconciler.Wake = controller.Enqueue;
        manager.AddReadinessCheck(health);
        if (EvidenceRetention is { } retention)
        {
            // A retry on failure comes from the controller's backoff; the database being down is the readiness check's news.
            var purge = ControllerBuilder.ManagedBy(manager)
                .Named(EvidencePurgeReconciler.Name)
                .Complete(new EvidencePurgeReconciler(store, retention, manager.Time, manager.Loggers.CreateLogger<EvidencePurgeReconciler>()));
            purge.Enqueue(EvidencePurgeReconciler.Key);
        }
    }

    private static InformerEventHandler<CachedResource<Incident>> BufferThenEnqueue(HistoryBacklog backlog, Action<ReconcileRequest> enqueue)
    {
        void Observed(Incident incident)
        {
            backlog.Observe(incident);
            enqueue(Key(incident));
        }

        return new InformerEventHandler<CachedResource<Incident>>(
            onAdd: (incident, _) => Observed(incident.Object),
            onUpdate: (_, incident) => Observed(incident.Object),
            onDelete: incident =>
            {
                backlog.Departed(incident.Object);
                enqueue(Key(incident.Object));
            });
    }

    private static ReconcileRequest Key(Incident incident) => new(incident.Metadata.NamespaceProperty, incident.Metadata.Name);
}
