using System.ComponentModel;

namespace IncidentResponder.Api.V1Alpha1;

/// <summary>How far the operator may go on its own.</summary>
[Description("Automatic acts; DryRun records what it would do (server-side dry run) and changes nothing; RequireApproval waits until the step's name is added to the Incident's spec.approvals.")]
public enum RemediationMode
{
    Automatic,
    DryRun,
    RequireApproval,
}
