using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Evidence;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Status;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Evidence;

/// <summary>Evidence, keyed by Incident on its own queue: woken by every change of an Incident.</summary>
public sealed record EvidenceFeature : IOperatorFeature
{
    public void Setup(OperatorParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var (client, cache, loggers) = (parts.Client, parts.Cache, parts.Manager.Loggers);
        var incidents = new CustomObjectClient<Incident>(client, GroupVersion.Group, GroupVersion.Version, Incident.Plural);
        var collector = new EvidenceCollector(client, cache, new PodLogReader(client), new TargetEventReader(client, parts.ControllerName), EvidenceLimits.Default);
        ControllerBuilder.ManagedBy(parts.Manager)
            .Named(EvidenceReconciler.Name)
            .WithWorkers(2)
            .For(cache.Incidents.Members)
            .Complete(new EvidenceReconciler(cache, collector, new IncidentConfigMaps(client),
                new StatusWriter<Incident>(incidents, loggers.CreateLogger<EvidenceReconciler>()), parts.Events, parts.Manager.Time, loggers.CreateLogger<EvidenceReconciler>()));
    }
}
