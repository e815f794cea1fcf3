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
    public async Task OpenOrJoinAsync(
        CachedDeployment deployment, TargetObservation observation, DetectedSignal signal, EffectivePolicy policy, string runbook,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var known = cache.IncidentsOf(deployment.Namespace, deployment.Name);
        var triage = SignalTriage.Triage(signal, observation.Input, Summaries(known), observation.History, policy, now);
        if (triage.Match.Kind == MatchKind.Open)
        {
            // The cache may not yet show an incident this operator created a moment ago: decide again on a fresh list
            // before creating one. Opening is rare, so the extra LIST is cheap.
            known = await LiveIncidentsAsync(deployment, cancellationToken);
            triage = SignalTriage.Triage(signal, observation.Input, Summaries(known), observation.History, policy, now);
        }

        if (triage.BadRevision is { } bad)
        {
            observer.MarkBad(deployment.Namespace, deployment.Name, bad, now);
        }

        var incident = triage.Match.Kind == MatchKind.Open
            ? await CreateOrAdoptAsync(deployment, triage, runbook, cancellationToken)
            : known.FirstOrDefault(i => i.Metadata.Name == triage.Match.IncidentName);
        if (incident is null)
        {
            return; // the matched incident vanished between list and write: the next reconcile triages again
        }

        var before = incident.Status?.Phase;
        var updated = await statuses.ApplyAsync(incident, [triage.Event], now, cancellationToken);
        if (before != updated.Status?.Phase)
        {
            logger.LogInformation("Incident {Incident} {Kind} for {Namespace}/{Deployment}: {Reason}",
                updated.Metadata.Name, triage.Match.Kind, deployment.Namespace, deployment.Name, triage.Match.Reason);
            await events.RecordAsync(updated, IncidentEventRecorder.DeploymentReference(deployment.Namespace, deployment.Name, deployment.Observation.Uid),
                [triage.Event], cancellationToken);
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

    private async Task<IReadOnlyList<Incident>> LiveIncidentsAsync(CachedDeployment deployment, CancellationToken cancellationToken)
    {
        var list = await client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<Incident>>(
            GroupVersion.Group, GroupVersion.Version, deployment.Namespace, Incident.Plural, cancellationToken: cancellationToken);
        return [.. list.Items.Where(i => i.Spec.TargetRef.Name == deployment.Name)];
    }

    private async Task<Incident> CreateOrAdoptAsync(CachedDeployment deployment, TriageDecision triage, string runbook, CancellationToken cancellationToken)
    {
        var spec = triage.Spec!;
        spec.RunbookRef = new LocalObjectReference { Name = runbook };
        var name = IncidentNames.For(spec.Signal.Fingerprint ?? $"{deployment.Name}/{spec.Signal.Type}");
        var incident = new Incident
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = deployment.Namespace,
                Labels = new Dictionary<string, string>
                {
                    [WellKnown.ManagedByLabel] = WellKnown.ManagedByValue,
                    [WellKnown.IncidentLabel] = name,
                },
            },
            Spec = spec,
        };
        try
        {
            return await client.CustomObjects.CreateNamespacedCustomObjectAsync<Incident>(incident, GroupVersion.Group, GroupVersion.Version,
                deployment.Namespace, Incident.Plural, fieldManager: WellKnown.FieldManager, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Created before a restart (or by a racing reconcile): same fingerprint, same name, same incident.
            logger.LogInformation("Incident {Incident} already exists; adopting it", name);
            return await client.CustomObjects.GetNamespacedCustomObjectAsync<Incident>(GroupVersion.Group, GroupVersion.Version,
                deployment.Namespace, Incident.Plural, name, cancellationToken);
        }
    }

    private static DateTimeOffset? Utc(DateTime? time) =>
        time is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;
}
