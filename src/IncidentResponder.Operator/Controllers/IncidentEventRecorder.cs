using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;
using IncidentResponder.Runtime.Events;
using k8s.Models;

namespace IncidentResponder.Operator.Controllers;

/// <summary>Records each narrated incident event twice: on the Incident and on its target Deployment.</summary>
public sealed class IncidentEventRecorder(EventRecorder recorder)
{
    public async Task RecordAsync(Incident incident, V1ObjectReference? target, IEnumerable<IncidentEvent> events, CancellationToken cancellationToken)
    {
        var regardingIncident = EventRecorder.Reference(GroupVersion.ApiVersion, Incident.KindName, incident.Metadata);
        foreach (var e in events)
        {
            if (IncidentEventNarrator.Narrate(incident.Metadata.Name, e) is not { } narrated)
            {
                continue;
            }

            await recorder.RecordAsync(regardingIncident, narrated.Type, narrated.Reason, narrated.Action, narrated.Note, cancellationToken);
            if (target is not null)
            {
                await recorder.RecordAsync(target, narrated.Type, narrated.Reason, narrated.Action, narrated.Note, cancellationToken);
            }
        }
    }

    /// <summary>A free-form Event on both objects (escalation notices).</summary>
    public async Task RecordAsync(Incident incident, V1ObjectReference? target, NarratedEvent narrated, CancellationToken cancellationToken)
    {
        await recorder.RecordAsync(EventRecorder.Reference(GroupVersion.ApiVersion, Incident.KindName, incident.Metadata),
            narrated.Type, narrated.Reason, narrated.Action, narrated.Note, cancellationToken);
        if (target is not null)
        {
            await recorder.RecordAsync(target, narrated.Type, narrated.Reason, narrated.Action, narrated.Note, cancellationToken);
        }
    }

    /// <summary>A reference to the workload an incident is about, of its kind.</summary>
    public static V1ObjectReference TargetReference(string ns, Core.Observations.DeploymentObservation workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return workload.Kind == Core.Jobs.CronJobTriage.Kind
            ? CronJobReference(ns, workload.Name, workload.Uid)
            : WorkloadReference(ns, workload.Kind, workload.Name, workload.Uid);
    }

    /// <summary>A reference to a CronJob (batch/v1): Events about its incident are recorded on it.</summary>
    public static V1ObjectReference CronJobReference(string ns, string name, string uid) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "CronJob",
        Name = name,
        NamespaceProperty = ns,
        Uid = string.IsNullOrEmpty(uid) ? null : uid,
    };

    /// <summary>A reference to a Deployment from its cached projection.</summary>
    public static V1ObjectReference DeploymentReference(string ns, string name, string uid) => WorkloadReference(ns, WorkloadKinds.Deployment, name, uid);

    /// <summary>A reference to an apps/v1 workload (Deployment, StatefulSet, DaemonSet): where its Events go, and what effects act on.</summary>
    public static V1ObjectReference WorkloadReference(string ns, string kind, string name, string uid) => new()
    {
        ApiVersion = "apps/v1",
        Kind = kind,
        Name = name,
        NamespaceProperty = ns,
        Uid = string.IsNullOrEmpty(uid) ? null : uid,
    };
}
