using System.Net;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Alerts;
using IncidentResponder.Runtime.Status;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Intake;

/// <summary>What a notification did to one incident.</summary>
public enum IncidentOutcome
{
    Created,
    Updated,
    Unchanged,

    /// <summary>Only resolved alerts, and no incident to clear them on.</summary>
    NothingOpen,
}

/// <summary>
/// Creates or updates the one Incident of an <see cref="IncidentPlan"/>. A new one is created under the plan's name
/// (a function of the group and target), then its status is written; a crash or a concurrent delivery between the two
/// is repaired by the next delivery, which finds the name taken and adopts it. The status is always computed from the
/// status just read, so a re-delivery writes nothing and a write that lost a race (409) is decided again.
/// </summary>
public sealed class AlertIncidentWriter(IKubernetes client, ILogger<AlertIncidentWriter> logger)
{
    /// <summary>On the Incident, for people: the Alertmanager group it stands for.</summary>
    public const string GroupKeyAnnotation = GroupVersion.Group + "/alertmanager-group-key";

    private readonly CustomObjectClient<Incident> _incidents = new(client, GroupVersion.Group, GroupVersion.Version, Incident.Plural);
    private readonly StatusWriter<Incident> _statuses = new(new CustomObjectClient<Incident>(client, GroupVersion.Group, GroupVersion.Version, Incident.Plural), logger);

    public async Task<IncidentOutcome> ApplyAsync(AlertGroup group, IncidentPlan plan, AlertPolicy? policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var incident = await _incidents.GetAsync(plan.Namespace, plan.Name, cancellationToken);
        var created = false;
        if (incident is null)
        {
            if (!plan.CanOpen)
            {
                return IncidentOutcome.NothingOpen;
            }

            (incident, created) = await CreateOrAdoptAsync(group, plan, policy, cancellationToken);
        }

        var result = await _statuses.UpdateAsync(incident, i =>
        {
            i.Status = AlertIncidentRecord.Apply(i.Status, plan, policy, now);
            i.Status.ObservedGeneration = i.Metadata.Generation;
        }, cancellationToken);
        if (result.Patched)
        {
            logger.LogInformation("Incident {Namespace}/{Incident} for {Deployment}: {Phase} with {Firing} firing and {Resolved} resolved alerts of group {GroupKey}",
                plan.Namespace, plan.Name, plan.Target.Deployment.Name, result.Object.Status?.Phase, plan.Firing.Count, plan.Resolved.Count, group.GroupKey);
        }

        return created ? IncidentOutcome.Created : result.Patched ? IncidentOutcome.Updated : IncidentOutcome.Unchanged;
    }

    private async Task<(Incident Incident, bool Created)> CreateOrAdoptAsync(AlertGroup group, IncidentPlan plan, AlertPolicy? policy, CancellationToken cancellationToken)
    {
        var incident = new Incident
        {
            Metadata = new V1ObjectMeta
            {
                Name = plan.Name,
                NamespaceProperty = plan.Namespace,
                Labels = new Dictionary<string, string>
                {
                    [WellKnown.ManagedByLabel] = WellKnown.ManagedByValue,
                    [WellKnown.IncidentLabel] = plan.Name,
                },
                Annotations = new Dictionary<string, string> { [GroupKeyAnnotation] = group.GroupKey },
            },
            Spec = AlertIncidentRecord.Spec(group, plan, policy),
        };
        try
        {
            return (await client.CustomObjects.CreateNamespacedCustomObjectAsync<Incident>(incident, GroupVersion.Group, GroupVersion.Version,
                plan.Namespace, Incident.Plural, fieldManager: WellKnown.FieldManager, cancellationToken: cancellationToken), true);
        }
        catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // A concurrent delivery of the same group created it a moment ago: same group, same name, same incident.
            return (await _incidents.GetAsync(plan.Namespace, plan.Name, cancellationToken)
                ?? throw new InvalidOperationException($"Incident {plan.Namespace}/{plan.Name} exists and cannot be read", error), false);
        }
    }
}
