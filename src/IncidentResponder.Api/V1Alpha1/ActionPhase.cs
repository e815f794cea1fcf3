using System.ComponentModel;

namespace IncidentResponder.Api.V1Alpha1;

/// <summary>Where one action stands.</summary>
[Description("Pending: intent recorded, not yet applied. Running: applied, being verified. Succeeded, Failed, Skipped (a guardrail or condition said no; the message says why), DryRun (computed, not applied), AwaitingApproval.")]
public enum ActionPhase
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Skipped,
    DryRun,
    AwaitingApproval,
}
