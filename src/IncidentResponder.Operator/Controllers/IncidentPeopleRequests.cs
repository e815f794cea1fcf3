using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.People;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Events;

namespace IncidentResponder.Operator.Controllers;

/// <summary>
/// Applies what people wrote into an Incident's spec (the decisions are <see cref="PeopleLifecycle"/>'s), writes the
/// status and records one Event per change on the Incident and its target.
/// </summary>
public sealed class IncidentPeopleRequests(ClusterCache cache, IncidentStatusStore statuses, IncidentEventRecorder events)
{
    public async Task<(Incident Incident, bool RunbookMayAct)> ApplyAsync(Incident incident, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ns = incident.Metadata.NamespaceProperty;
        var runbook = incident.Spec.RunbookRef is { } runbookRef ? cache.Runbook(ns, runbookRef.Name) : null;
        var outcome = PeopleLifecycle.Apply(incident.Status, incident.Spec, runbook?.Spec.Steps.Select(s => s.Name).ToList(), runbook?.Metadata.Name, now);

        // Written even without a change: observedGeneration then says the operator saw the person's request, also on
        // an incident it no longer acts on. The writer sends nothing when nothing differs.
        var written = await statuses.WriteDecisionAsync(incident, outcome.Status, cancellationToken);
        var target = cache.Workload(ns, incident.Spec.TargetRef.Kind, incident.Spec.TargetRef.Name) is { } workload
            ? IncidentEventRecorder.TargetReference(ns, workload.Observation)
            : null;
        foreach (var change in outcome.Changes)
        {
            var type = change.Reason == PeopleConditions.Reasons.UnknownStep ? EventType.Warning : EventType.Normal;
            await events.RecordAsync(written, target, new NarratedEvent(type, change.Reason, "PersonRequest", change.Message), cancellationToken);
        }

        return (written, outcome.RunbookMayAct);
    }
}
