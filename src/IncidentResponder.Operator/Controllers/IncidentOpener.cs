using System.Net;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Triage;
using IncidentResponder.Operator.Observation;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Controllers;

/// <summary>
/// Turns one confirmed signal into an Incident record: triage (open, join or reopen) by the core, then the API calls.
/// A new incident is created under a name derived from its fingerprint, then its status is written with the Opened
/// event; a crash between the two is repaired by the next detection, which finds the name taken and adopts it.
/// </summary>
public sealed class IncidentOpener(
    IKubernetes client, ClusterCache cache, TargetObserver observer, IncidentStatusStore statuses, IncidentEventRecorder events, ILogger<IncidentOpener> logger)
{
    public Task OpenOrJoinAsync(
        CachedDeployment deployment, TargetObservation observation, DetectedSignal signal, EffectivePolicy policy, string runbook,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        OpenOrJoinAsync(IncidentEventRecorder.TargetReference(deployment.Namespace, deployment.Observation),
            known => SignalTriage.Triage(signal, observation.Input, known, observation.History, policy, now), runbook, now, cancellationToken);

    /// <summary>Any workload's signal: <paramref name="triage"/> is the core's triage over the incidents known for the target.</summary>
    public async Task OpenOrJoinAsync(
        V1ObjectReference target, Func<IEnumerable<IncidentSummary>, TriageDecision> triage, string runbook, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(triage);
        var known = cache.IncidentsOf(target.NamespaceProperty, target.Name);
        var decided = triage(Summaries(known));
        if (decided.Match.Kind == MatchKind.Open)
        {
            // The cache may not yet show an incident this operator created a moment ago: decide again on a fresh list
            // before creating one. Opening is rare, so the extra LIST is cheap.
            known = await LiveIncidentsAsync(target, cancellationToken);
            decided = triage(Summaries(known));
        }

        if (decided.BadRevision is { } bad)
        {
            observer.MarkBad(target.NamespaceProperty, target.Name, bad, now);
        }

        var incident = decided.Match.Kind == MatchKind.Open
            ? await CreateOrAdoptAsync(target, decided, runbook, cancellationToken)
            : known.FirstOrDefault(i => i.Metadata.Name == decided.Match.IncidentName);
        if (incident is null)
        {
            return; // the matched incident vanished between list and write: the next reconcile triages again
        }

        var before = incident.Status?.Phase;
        var updated = await statuses.ApplyAsync(incident, [decided.Event], now, cancellationToken);
        if (before != updated.Status?.Phase)
        {
            logger.LogInformation("Incident {Incident} {Kind} for {TargetKind} {Namespace}/{Target}: {Reason}",
                updated.Metadata.Name, decided.Match.Kind, target.Kind, target.NamespaceProperty, target.Name, decided.Match.Reason);
            await events.RecordAsync(updated, target, [decided.Event], cancellationToken);
        }
    }

    /// <summary>Incidents that have been opened (a status phase); one created but never opened is adopted by name instead.</summary>
    private static IEnumerable<IncidentSummary> Summaries(IEnumerable<Incident> incidents) =>
        incidents.Where(i => i.Status?.Phase is not null).Select(i => new IncidentSummary(
            i.Metadata.Name,
            i.Spec.TargetRef.Name,
            i.Status!.Phase!.Value,
            Utc(i.Status.OpenedAt ?? i.Metadata.CreationTimestamp) ?? DateTimeOffset.MinValue,
            Utc(i.Status.ResolvedAt),
            [.. (i.Status.Signals ?? []).Select(s => s.Fingerprint).Append(i.Spec.Signal.Fingerprint ?? string.Empty)]));

    private async Task<IReadOnlyList<Incident>> LiveIncidentsAsync(V1ObjectReference target, CancellationToken cancellationToken)
    {
        var list = await client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<Incident>>(
            GroupVersion.Group, GroupVersion.Version, target.NamespaceProperty, Incident.Plural, cancellationToken: cancellationToken);
        return [.. list.Items.Where(i => i.Spec.TargetRef.Name == target.Name)];
    }

    /// <summary>Names tried before giving up on a detection (the next reconcile tries again).</summary>
    private const int MaxNameAttempts = 5;

    /// <summary>
    /// Creates the Incident under its deterministic name. AlreadyExists means a racing detection (another reconcile,
    /// another replica, or this operator before a restart) got there first: that one is joined, but only when it is
    /// ours for the same signal and target (<see cref="IncidentNames.MayAdopt"/>). A foreign Incident holding the name
    /// is never acted on: the new one opens under a suffixed name and the clash is recorded as a Warning Event.
    /// </summary>
    private async Task<Incident> CreateOrAdoptAsync(V1ObjectReference target, TriageDecision triage, string runbook, CancellationToken cancellationToken)
    {
        var spec = triage.Spec!;
        spec.RunbookRef = new LocalObjectReference { Name = runbook };
        var baseName = IncidentNames.For(spec.Signal.Fingerprint ?? $"{target.Name}/{spec.Signal.Type}");
        string? clash = null;
        for (var attempt = 0; attempt < MaxNameAttempts; attempt++)
        {
            var name = IncidentNames.WithSuffix(baseName, attempt);
            try
            {
                var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync<Incident>(NewIncident(target.NamespaceProperty, spec, name), GroupVersion.Group, GroupVersion.Version,
                    target.NamespaceProperty, Incident.Plural, fieldManager: WellKnown.FieldManager, cancellationToken: cancellationToken);
                if (clash is not null)
                {
                    await RecordClashAsync(created, target, clash, cancellationToken);
                }

                return created;
            }
            catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.Conflict)
            {
                var existing = await client.CustomObjects.GetNamespacedCustomObjectAsync<Incident>(GroupVersion.Group, GroupVersion.Version,
                    target.NamespaceProperty, Incident.Plural, name, cancellationToken);
                if (IncidentNames.MayAdopt(existing, spec.Signal.Fingerprint, target.Name, target.Kind))
                {
                    logger.LogInformation("Incident {Incident} already exists for the same signal; joining it", name);
                    return existing;
                }

                clash ??= name;
                logger.LogWarning("Incident name {Incident} is taken by an Incident this operator does not own (target {Target}); opening under another name",
                    name, existing.Spec?.TargetRef?.Name);
            }
        }

        throw new InvalidOperationException($"no free Incident name for {target.NamespaceProperty}/{target.Name} after {MaxNameAttempts} attempts from {baseName}");
    }

    private static Incident NewIncident(string ns, IncidentSpec spec, string name) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            Labels = new Dictionary<string, string>
            {
                [WellKnown.ManagedByLabel] = WellKnown.ManagedByValue,
                [WellKnown.IncidentLabel] = name,
            },
        },
        Spec = spec,
    };

    private Task RecordClashAsync(Incident created, V1ObjectReference target, string clash, CancellationToken cancellationToken) =>
        events.RecordAsync(created, target,
            new NarratedEvent("Warning", "IncidentNameClash", "Open",
                $"Incident {clash} exists but was not opened by incident-responder for this signal and {target.Kind}; it is left alone and this incident is {created.Metadata.Name}"),
            cancellationToken);

    private static DateTimeOffset? Utc(DateTime? time) =>
        time is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;
}
