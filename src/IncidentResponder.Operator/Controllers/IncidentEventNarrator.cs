using IncidentResponder.Runtime.Events;
using static IncidentResponder.Core.Incidents.IncidentEvent;

namespace IncidentResponder.Operator.Controllers;

/// <summary>One Kubernetes Event about a decision or action: what <c>kubectl describe</c> and <c>kubectl events</c> show.</summary>
public sealed record NarratedEvent(string Type, string Reason, string Action, string Note);

/// <summary>
/// Which incident events become Kubernetes Events, and in what words. Book-keeping (verification progress, a signal
/// seen again) does not: an Event stream is for what a person on call needs to notice.
/// </summary>
public static class IncidentEventNarrator
{
    public static NarratedEvent? Narrate(string incident, Core.Incidents.IncidentEvent e) => e switch
    {
        Opened o => new(EventType.Warning, "IncidentOpened", "Detect",
            $"incident {incident} opened: {o.Signal.Type} ({o.Signal.Reason}): {o.Signal.Message}; {o.Severity.Reason}"),
        Reopened r => new(EventType.Warning, "IncidentReopened", "Detect", $"incident {incident} reopened: {r.Signal.Type}: {r.Reason}"),
        IntentRecorded i => new(EventType.Normal, "ActionIntended", i.Type.ToString(), $"incident {incident} step {i.Step}: {i.Reason}"),
        ActionApplied a => new(EventType.Normal, "ActionApplied", "Act", $"incident {incident} step {a.Step}: {a.Message}"),
        ActionSkipped s => new(EventType.Warning, "ActionSkipped", "Act", $"incident {incident} step {s.Step}: {s.Message}"),
        DryRunRecorded d => new(EventType.Normal, "DryRun", d.Type.ToString(), $"incident {incident} step {d.Step}: {d.Message}"),
        ApprovalRequested a => new(EventType.Normal, "AwaitingApproval", a.Type.ToString(), $"incident {incident}: {a.Reason}"),
        GuardrailRefused g => new(EventType.Warning, "GuardrailRefused", "Decide", $"incident {incident} step {g.Step}: {g.Reason}"),
        VerificationPassed p => new(EventType.Normal, "Mitigated", "Verify", $"incident {incident} step {p.Step} verified: {p.Message}"),
        VerificationFailed f => new(EventType.Warning, "VerificationFailed", "Verify", $"incident {incident} step {f.Step}: {f.Message}"),
        NoteRecorded n => new(EventType.Normal, "Note", "Note", $"incident {incident}: {n.Text}"),
        Escalated x => new(EventType.Warning, "Escalated", "Escalate", $"incident {incident} escalated: {x.Reason}"),
        Resolved r => new(EventType.Normal, "Resolved", "Resolve", $"incident {incident} resolved: {r.Reason}"),
        OwnerPaused p => new(EventType.Normal, "GitOpsPaused", "Pause", $"incident {incident}: {p.Message}"),
        OwnerResumed r => new(EventType.Normal, "GitOpsResumed", "Resume", $"incident {incident}: {r.Message}"),
        WriteBackPushed w => new(EventType.Normal, "WrittenBack", "WriteBack", $"incident {incident}: {w.Message}"),
        WriteBackFailed w => new(EventType.Warning, "WriteBackFailed", "WriteBack", $"incident {incident}: write-back failed: {w.Message}"),
        _ => null,
    };
}
