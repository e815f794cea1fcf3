using System.ComponentModel;

namespace IncidentResponder.Api.V1Alpha1;

/// <summary>Where an incident stands.</summary>
[Description("Detected: opened, nothing done yet. Mitigating: a step is running or being verified. AwaitingApproval: a step waits for a person. Mitigated: a step worked and the target is verified healthy. Resolved: closed. Escalated: handed to people; the operator no longer acts.")]
public enum IncidentPhase
{
    Detected,
    Mitigating,
    AwaitingApproval,
    Mitigated,
    Resolved,
    Escalated,
}
