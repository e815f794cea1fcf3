using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.Evidence;
using IncidentResponder.Runtime.Controllers;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Postmortems;

/// <summary>Post-mortems, keyed by Incident on their own queue: woken by every change of an Incident; they read the stored evidence.</summary>
public sealed record PostmortemFeature : IOperatorFeature
{
    public void Setup(OperatorParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ControllerBuilder.ManagedBy(parts.Manager)
            .Named(PostmortemReconciler.Name)
            .For(parts.Cache.Incidents.Members)
            .Complete(new PostmortemReconciler(parts.Cache, new IncidentConfigMaps(parts.Client), parts.Manager.Loggers.CreateLogger<PostmortemReconciler>()));
    }
}
