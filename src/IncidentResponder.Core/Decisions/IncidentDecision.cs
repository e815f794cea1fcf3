using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Decisions;

/// <summary>The outcome of one reconcile: the status to write, the events that produced it, what to do in the cluster.</summary>
/// <param name="Reason">One line on what was decided, for logs and tests.</param>
public sealed record IncidentDecision(IncidentStatus Status, ValueList<IncidentEvent> Events, ValueList<Effect> Effects, string Reason)
{
    public static IncidentDecision Nothing(IncidentStatus status, string reason) =>
        new(status, ValueList<IncidentEvent>.Empty, ValueList<Effect>.Empty, reason);
}
