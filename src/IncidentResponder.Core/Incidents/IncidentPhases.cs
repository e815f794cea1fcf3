using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Incidents;

/// <summary>Groups of phases many decisions share, so a new phase is added in one place.</summary>
public static class IncidentPhases
{
    /// <summary>Over: resolved (by the operator or a person) or cancelled as a false alarm.</summary>
    public static bool IsClosed(this IncidentPhase? phase) => phase is IncidentPhase.Resolved or IncidentPhase.Cancelled;

    /// <summary>People hold it: escalated to them, or acknowledged by one of them. The runbook does not act.</summary>
    public static bool IsHeldByPeople(this IncidentPhase? phase) => phase is IncidentPhase.Escalated or IncidentPhase.Acknowledged;
}
