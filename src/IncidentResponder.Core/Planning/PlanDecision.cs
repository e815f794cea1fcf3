using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Planning;

/// <summary>What the runbook says should happen next.</summary>
public abstract record PlanDecision(string Reason)
{
    /// <summary>Run (or, after approval, resume) this step; <see cref="Attempt"/> counts runs of the same step.</summary>
    public sealed record RunStep(RunbookStep Step, int Attempt, string Reason) : PlanDecision(Reason);

    /// <summary>An action is in flight (intent written, applied or being verified): wait for it, start nothing.</summary>
    public sealed record InFlight(ActionRecord Action, string Reason) : PlanDecision(Reason);

    /// <summary>Nothing left to do: a step mitigated the incident, or it was already handed to people.</summary>
    public sealed record Done(string Reason) : PlanDecision(Reason);

    /// <summary>Hand the incident to people.</summary>
    public sealed record Escalate(string Reason) : PlanDecision(Reason);
}
