namespace IncidentResponder.Core.Guardrails;

public enum GuardrailVerdict
{
    /// <summary>Apply the action.</summary>
    Act,

    /// <summary>Compute the action (server-side dry run) and record it; change nothing.</summary>
    DryRun,

    /// <summary>Wait until a person adds the step's name to the Incident's spec.approvals.</summary>
    AwaitApproval,

    /// <summary>Do not act now; the reason says why and, where it applies, until when.</summary>
    Refuse,

    /// <summary>Stop acting on this incident and hand it to people.</summary>
    Escalate,
}

/// <summary>A guardrail's answer, with a reason a person understands; it goes into the incident's timeline.</summary>
/// <param name="Rule">Short name of the rule that decided, e.g. "cooldown".</param>
public sealed record GuardrailDecision(GuardrailVerdict Verdict, string Rule, string Reason)
{
    public static GuardrailDecision Act(string reason) => new(GuardrailVerdict.Act, "all", reason);
}
