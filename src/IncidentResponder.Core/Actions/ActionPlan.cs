namespace IncidentResponder.Core.Actions;

/// <summary>What a step of a new action type should do, decided from observations, caps and the incident's record.</summary>
public abstract record ActionPlan(string Reason)
{
    /// <summary>Apply this exact change (the original values travel with it, for the record and a revert).</summary>
    public sealed record Apply(ActionChange Change, string Reason) : ActionPlan(Reason);

    /// <summary>A per-action cap or allow-list forbids the change; <paramref name="Rule"/> names it. The step is skipped.</summary>
    public sealed record Refuse(string Rule, string Reason) : ActionPlan(Reason);

    /// <summary>Nothing to change (already so) or nothing that can be changed; the step is skipped, the runbook goes on.</summary>
    public sealed record Skip(string Reason) : ActionPlan(Reason);

    /// <summary>Acting again would repeat what did not help: hand the incident to people.</summary>
    public sealed record Escalate(string Reason) : ActionPlan(Reason);
}
