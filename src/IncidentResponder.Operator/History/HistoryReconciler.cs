using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.History;
using IncidentResponder.Operator.Evidence;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Finalizers;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.History;

/// <summary>
/// Keyed by Incident, on a queue of its own (a slow or absent database never delays remediation): records each
/// incident's snapshot — status, evidence and post-mortem ConfigMaps, and timeline entries the status has trimmed —
/// whenever any of it changes. While history is configured every Incident carries the finalizer
/// <see cref="Finalizer"/>, removed only once the final snapshot (with its deletion time) is in the database, so
/// deleting an Incident never loses its record. A failed write is retried with capped exponential backoff; the
/// Incident in the API server is the durable buffer meanwhile, and the first write that succeeds again wakes every
/// incident still pending.
/// </summary>
public sealed class HistoryReconciler(
    Func<ReconcileRequest, Incident?> incidents,
    HistoryStore store,
    IncidentArtifacts artifacts,
    Finalizers<Incident> finalizers,
    HistoryBacklog backlog,
    HistoryMetrics metrics,
    HistoryHealth health,
    HistoryTimings timings,
    TimeProvider time,
    ILogger<HistoryReconciler> logger) : IReconciler
{
    public const string Name = "history";

    /// <summary>Held on every Incident until its final snapshot is recorded.</summary>
    public const string Finalizer = GroupVersion.Group + "/history";

    private readonly SemaphoreSlim _migration = new(1, 1);
    private bool _migrated;
    private int _consecutiveFailures;

    /// <summary>Called with every pending key when a write succeeds after failures (set by the wiring).</summary>
    public Action<ReconcileRequest>? Wake { get; set; }

    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var incident = incidents(request);
        if (incident is null)
        {
            // Gone without the finalizer (deleted before it was added): record the last version seen, if unrecorded.
            return backlog.UnrecordedDeparted(request) is { } departed
                ? await RecordAsync(departed, new Artifacts(null, null), cancellationToken).ConfigureAwait(false) ?? ReconcileResult.Done
                : ReconcileResult.Done;
        }

        var deleting = Finalizers<Incident>.IsBeingDeleted(incident);
        if (!deleting && await finalizers.EnsureAsync(incident, Finalizer, cancellationToken).ConfigureAwait(false) is not null)
        {
            return ReconcileResult.Done; // the update the patch causes brings this incident back
        }

        var found = await artifacts.ReadAsync(incident, cancellationToken).ConfigureAwait(false);
        if (await RecordAsync(incident, found, cancellationToken).ConfigureAwait(false) is { } retry)
        {
            return retry;
        }

        if (deleting)
        {
            await finalizers.RemoveAsync(incident, Finalizer, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Incident {Incident} recorded in the history; finalizer removed", request);
            return ReconcileResult.Done;
        }

        return NextLook(incident, found);
    }

    /// <summary>Writes the snapshot unless it is recorded already. Returns null when recorded, or the retry to schedule.</summary>
    private async Task<ReconcileResult?> RecordAsync(Incident incident, Artifacts found, CancellationToken cancellationToken)
    {
        var uid = incident.Metadata.Uid;
        var version = HistoryBacklog.VersionOf(incident) + "|" + found.Version;
        if (backlog.IsRecorded(uid, version))
        {
            return null;
        }

        var snapshot = new IncidentSnapshot(incident, time.GetUtcNow())
        {
            EarlierTimeline = backlog.Buffered(uid),
            EvidenceMarkdown = Artifacts.Value(found.Evidence, IncidentConfigMaps.EvidenceMarkdownKey),
            EvidenceJson = Artifacts.Value(found.Evidence, IncidentConfigMaps.EvidenceJsonKey),
            PostmortemMarkdown = Artifacts.Value(found.Postmortem, IncidentConfigMaps.PostmortemKey),
        };
        long changed;
        try
        {
            await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
            changed = await store.RecordAsync(snapshot, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.Writes.WithLabels(HistoryMetrics.Failed).Inc();
            health.Failed(error);
            var failures = Interlocked.Increment(ref _consecutiveFailures);
            var delay = RetryDelay(failures);
            logger.LogWarning("Recording incident {Namespace}/{Incident} in the history failed ({Error}); retrying in {Delay}; {Pending} incidents pending",
                incident.Metadata.NamespaceProperty, incident.Metadata.Name, error.Message, delay, backlog.PendingCount);
            return ReconcileResult.RequeueAfter(delay);
        }

        metrics.Writes.WithLabels(changed > 0 ? HistoryMetrics.Recorded : HistoryMetrics.Unchanged).Inc();
        health.Succeeded();
        backlog.Recorded(incident, version, SnapshotRows.From(snapshot).Timeline);
        if (Interlocked.Exchange(ref _consecutiveFailures, 0) > 0)
        {
            var pending = backlog.PendingKeys();
            logger.LogInformation("The history store is reachable again; catching up on {Pending} incidents", pending.Count);
            foreach (var key in pending)
            {
                Wake?.Invoke(key);
            }
        }

        return null;
    }

    private async Task EnsureMigratedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _migrated))
        {
            return;
        }

        await _migration.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_migrated)
            {
                var applied = await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
                logger.LogInformation("History schema is current; applied now: {Scripts}", applied.Count == 0 ? "none" : string.Join(", ", applied));
                _migrated = true;
            }
        }
        finally
        {
            _migration.Release();
        }
    }

    private TimeSpan RetryDelay(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(timings.FirstRetryDelay.Ticks * factor, timings.MaxRetryDelay.Ticks));
        return delay > TimeSpan.Zero ? delay : timings.MaxRetryDelay;
    }

    /// <summary>
    /// Open incidents are looked at again for their ConfigMaps; a resolved one until its post-mortem is in, for a while.
    /// </summary>
    private ReconcileResult NextLook(Incident incident, Artifacts found)
    {
        var phase = incident.Status?.Phase;
        if (phase is not (IncidentPhase.Resolved or IncidentPhase.Escalated))
        {
            return ReconcileResult.RequeueAfter(timings.PollInterval);
        }

        var closedAt = incident.Status?.ResolvedAt is { } resolved ? new DateTimeOffset(DateTime.SpecifyKind(resolved, DateTimeKind.Utc)) : time.GetUtcNow();
        return found.Postmortem is null && time.GetUtcNow() - closedAt < timings.PostmortemWait
            ? ReconcileResult.RequeueAfter(timings.PollInterval)
            : ReconcileResult.Done;
    }
}
