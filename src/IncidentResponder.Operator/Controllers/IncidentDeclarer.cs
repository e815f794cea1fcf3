using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.People;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Events;
using k8s;
using k8s.Models;

namespace IncidentResponder.Operator.Controllers;

/// <summary>
/// Opens an Incident a person applied: finds its target, fills in the policy and runbook a detected incident would get
/// when the person named none, and writes the opened status (the decisions are <see cref="IncidentDeclaration"/>'s).
/// </summary>
public sealed class IncidentDeclarer(IKubernetes client, ClusterCache cache, PolicyResolver policies, IncidentStatusStore statuses, IncidentEventRecorder events)
{
    /// <summary>The opened incident, or null when it waits (target missing) or its spec was just completed (the change brings it back).</summary>
    public async Task<Incident?> DeclareAsync(Incident incident, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ns = incident.Metadata.NamespaceProperty;
        var spec = incident.Spec;
        var target = cache.Workload(ns, spec.TargetRef.Kind, spec.TargetRef.Name);
        if (target is null)
        {
            var waiting = IncidentDeclaration.TargetMissing(incident.Status, spec, ns, now);
            var before = StatusConditions.Find(incident.Status?.Conditions, PeopleConditions.TargetFound);
            var written = await statuses.WriteDecisionAsync(incident, waiting, cancellationToken);
            if (before is not { Status: "False" })
            {
                var message = StatusConditions.Find(waiting.Conditions, PeopleConditions.TargetFound)!.Message;
                await events.RecordAsync(written, null, new NarratedEvent(EventType.Warning, PeopleConditions.Reasons.TargetNotFound, "Declare", message), cancellationToken);
            }

            return null;
        }

        if (await CompleteSpecAsync(incident, target, cancellationToken))
        {
            return null;
        }

        var opened = await statuses.WriteDecisionAsync(incident, IncidentDeclaration.Open(incident.Status, spec, now), cancellationToken);
        var reference = IncidentEventRecorder.TargetReference(ns, target.Observation);
        await events.RecordAsync(opened, reference, new NarratedEvent(EventType.Normal, PeopleConditions.Reasons.Declared, "Open",
            $"incident {incident.Metadata.Name} declared by {IncidentDeclaration.DeclaredBy(spec)}: {spec.Signal.Type} on {spec.TargetRef.Kind} {spec.TargetRef.Name}, {spec.Severity.Name()}"),
            cancellationToken);
        return opened;
    }

    /// <summary>
    /// A declared incident without a policy or runbook gets the ones a detected incident on its target would get: the
    /// governing policy, and its route for the signal the person named (or for Manual). Only absent fields are written,
    /// so a person's choice is never overwritten. True when the spec was patched.
    /// </summary>
    private async Task<bool> CompleteSpecAsync(Incident incident, CachedDeployment target, CancellationToken cancellationToken)
    {
        var spec = incident.Spec;
        if (spec.RunbookRef is not null && spec.PolicyRef is not null)
        {
            return false;
        }

        var ns = incident.Metadata.NamespaceProperty;
        var policy = spec.PolicyRef is { } named ? cache.Policy(ns, named.Name) : policies.Governing(target);
        var fill = new JsonObject();
        if (spec.PolicyRef is null && policy is not null)
        {
            fill["policyRef"] = new JsonObject { ["name"] = policy.Metadata.Name };
        }

        if (spec.RunbookRef is null && policy is not null && IncidentDeclaration.RunbookFor(policy, spec.Signal.Type) is { } runbook)
        {
            fill["runbookRef"] = new JsonObject { ["name"] = runbook };
        }

        if (fill.Count == 0)
        {
            return false; // nothing governs the target: people own the incident, as an alert no policy routes
        }

        var patch = new JsonObject { ["spec"] = fill }.ToJsonString();
        await client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonNode>(new V1Patch(patch, V1Patch.PatchType.MergePatch),
            GroupVersion.Group, GroupVersion.Version, ns, Incident.Plural, incident.Metadata.Name, fieldManager: WellKnown.FieldManager,
            cancellationToken: cancellationToken);
        return true;
    }
}
