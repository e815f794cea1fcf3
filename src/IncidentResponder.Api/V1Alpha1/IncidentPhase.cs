using System.ComponentModel;

namespace IncidentResponder.Api.V1Alpha1;

/// <summary>Where an incident stands.</summary>
[Description("Detected: opened, nothing done yet. Mitigating: a step is running or being verified. AwaitingApproval: a step waits for a person. Mitigated: a step worked and the target is verified healthy. Resolved: closed. Escalated: handed to people; the operator no longer acts. Acknowledged: a person holds the escalated incident (spec.acknowledgement); a hand-back returns it to automation. Cancelled: closed by a person as a false alarm.")]
public enum IncidentPhase
{
    Detected,
    Mitigating,
    AwaitingApproval,
    Mitigated,
    Resolved,
    Escalated,
    Acknowledged,
    Cancelled,
}
