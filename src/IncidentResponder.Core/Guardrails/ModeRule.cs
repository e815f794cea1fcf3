using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Core.Guardrails;

/// <summary>How far the operator may go on its own at this severity.</summary>
public static class ModeRule
{
    /// <summary>DryRun and unapproved RequireApproval stop here; Automatic and approved steps go on to the limits.</summary>
    public static GuardrailDecision? Check(GuardrailInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var severity = input.Severity.Name();
        return input.Policy.Modes.For(input.Severity) switch
        {
            RemediationMode.DryRun => new GuardrailDecision(GuardrailVerdict.DryRun, "mode",
                $"dry run: policy {input.Policy.Name} runs {severity} in DryRun mode; step {input.Step} is computed, not applied"),
            RemediationMode.RequireApproval when !input.Approvals.Contains(input.Step) => new GuardrailDecision(
                GuardrailVerdict.AwaitApproval, "mode",
                $"awaiting approval: {severity} requires approval; add \"{input.Step}\" to spec.approvals of incident {input.IncidentName}"),
            _ => null,
        };
    }
}
