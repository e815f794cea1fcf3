using System.Collections.Concurrent;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Evidence;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Events;
using IncidentResponder.Runtime.Status;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Evidence;

/// <summary>
/// Keyed by Incident, on its own queue so reading logs never delays remediation: once an incident is open, collects
/// its evidence ONCE into the <c>&lt;incident&gt;-evidence</c> ConfigMap, then notes it in the timeline and as an Event.
/// Idempotent across restarts: the timeline entry, else the ConfigMap's existence, says it was done.
/// </summary>
public sealed class EvidenceReconciler(
    ClusterCache cache,
    EvidenceCollector collector,
    IncidentConfigMaps configMaps,
    StatusWriter<Incident> statuses,
    IncidentEventRecorder events,
    TimeProvider time,
    ILogger<EvidenceReconciler> logger) : IReconciler
{
    public const string Name = "evidence";

    /// <summary>
    /// An incident closed longer ago than this gets no evidence: the logs and Events read now would describe the healed
    /// target, not the failure (an operator upgraded or restarted after incidents it never collected for).
    /// </summary>
    public static readonly TimeSpan MaxAgeAfterClose = TimeSpan.FromMinutes(10);

    // Incidents whose evidence is stored and recorded (namespace/name → uid): later changes of the incident cost no
    // API call. An entry goes when its Incident does, so this holds only live incidents.
    private readonly ConcurrentDictionary<string, string> _done = new(StringComparer.Ordinal);

    public async Task<ReconcileResult> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var key = $"{request.Namespace}/{request.Name}";
        var incident = cache.Incident(request.Namespace ?? string.Empty, request.Name);
        if (incident is null)
        {
            _done.TryRemove(key, out _);
            return ReconcileResult.Done;
        }

        var uid = incident.Metadata.Uid ?? string.Empty;
        if (incident.Status?.Phase is null || (_done.TryGetValue(key, out var doneFor) && doneFor == uid))
        {
            return ReconcileResult.Done; // not opened yet (triage sets the phase), or already done
        }

        if (EvidenceTimeline.Recorded(incident.Status) || ClosedLongAgo(incident.Status, time.GetUtcNow()))
        {
            _done[key] = uid;
            return ReconcileResult.Done;
        }

        var name = IncidentConfigMaps.EvidenceName(incident.Metadata.Name);
        var ns = incident.Metadata.NamespaceProperty;
        string message;
        if (await configMaps.GetAsync(ns, name, cancellationToken) is { } existing)
        {
            // Stored by an earlier run that stopped before recording it. A truncated timeline may have dropped the entry
            // long ago: then there is nothing to add.
            if (EvidenceTimeline.Truncated(incident.Status))
            {
                _done[key] = uid;
                return ReconcileResult.Done;
            }

            message = EvidenceJson.TryDeserialize(Projections.Value(existing.Data, IncidentConfigMaps.EvidenceJsonKey)) is { } stored
                ? EvidenceTimeline.Message(stored, name)
                : $"{EvidenceTimeline.Prefix}: see ConfigMap {name}";
        }
        else
        {
            var bundle = await collector.CollectAsync(incident, time.GetUtcNow(), cancellationToken);
            var data = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [IncidentConfigMaps.EvidenceMarkdownKey] = EvidenceMarkdown.Render(bundle),
                [IncidentConfigMaps.EvidenceJsonKey] = EvidenceJson.Serialize(bundle),
            };
            await configMaps.CreateAsync(IncidentConfigMaps.Build(incident, name, data), cancellationToken);
            message = EvidenceTimeline.Message(bundle, name);
            logger.LogInformation("Evidence for incident {Namespace}/{Incident} stored in ConfigMap {ConfigMap}", ns, incident.Metadata.Name, name);
        }

        var now = time.GetUtcNow();
        var written = await statuses.UpdateAsync(incident, i => EvidenceTimeline.Append(i, message, now), cancellationToken);
        var target = cache.Deployment(ns, incident.Spec.TargetRef.Name) is { } deployment
            ? IncidentEventRecorder.TargetReference(ns, deployment.Observation)
            : null;
        await events.RecordAsync(written.Object, target, new NarratedEvent(EventType.Normal, "EvidenceCollected", "Investigate",
            $"incident {incident.Metadata.Name}: {message}"), cancellationToken);
        _done[key] = uid;
        return ReconcileResult.Done;
    }

    private static bool ClosedLongAgo(IncidentStatus status, DateTimeOffset now)
    {
        var closed = status.Phase switch
        {
            IncidentPhase.Resolved => status.ResolvedAt,
            IncidentPhase.Escalated => status.Conditions?.FirstOrDefault(c => c.Type == Api.V1Alpha1.Conditions.Escalated)?.LastTransitionTime,
            _ => null,
        };
        return closed is { } at && now - new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) > MaxAgeAfterClose;
    }
}
