using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Status;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Controllers;

/// <summary>Runbook status, keyed by Runbook: woken by the Runbook alone.</summary>
public sealed record RunbookStatusFeature : IOperatorFeature
{
    public void Setup(OperatorParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var runbooks = new CustomObjectClient<Runbook>(parts.Client, GroupVersion.Group, GroupVersion.Version, Runbook.Plural);
        ControllerBuilder.ManagedBy(parts.Manager)
            .Named(RunbookStatusReconciler.Name)
            .For(parts.Cache.Runbooks.Members)
            .Complete(new RunbookStatusReconciler(parts.Cache, new StatusWriter<Runbook>(runbooks, parts.Manager.Loggers.CreateLogger<RunbookStatusReconciler>()), parts.Manager.Time));
    }
}
