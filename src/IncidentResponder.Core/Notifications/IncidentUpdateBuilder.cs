using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Notifications;

/// <summary>Fills the playbook's update template from the incident's record: what, impact, since, who or what is acting.</summary>
public static class IncidentUpdateBuilder
{
    public static IncidentUpdate Build(
        NotificationInput input, UpdateKind kind, IncidentPhase phase, Severity severity, IReadOnlyList<IncidentMoment> changes,
        DateTimeOffset now, DateTimeOffset? nextUpdateAt, TimeSpan? cadence, PagerDutyAction? pagerDuty)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(changes);
        var spec = input.Spec;
        var status = input.Status;
        var since = status.DetectedAt ?? spec.Signal.FirstSeen ?? status.OpenedAt;
        return new IncidentUpdate(
            kind, input.Namespace, input.Name, input.Uid, spec.TargetRef.Name, severity, phase, spec.Signal.Type,
            What(input.Namespace, spec), Impact(spec, status), since is { } s ? IncidentMoments.Utc(s) : now, DetectedBy(spec.Source),
            Acting(phase, spec, status, input.Contacts) + GitOpsHold(status), [.. changes.Select(c => c.Description)], now, nextUpdateAt, cadence, pagerDuty,
            AwaitingApproval(phase, status));
    }

    /// <summary>The step a person must approve, while the incident waits for one.</summary>
    public static string? AwaitingApproval(IncidentPhase phase, IncidentStatus status) =>
        phase == IncidentPhase.AwaitingApproval
            ? status?.Actions?.LastOrDefault(a => a.Phase == ActionPhase.AwaitingApproval)?.Step
            : null;

    /// <summary>The summary a person or the detector wrote, else the signal on the target.</summary>
    public static string What(string ns, IncidentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!string.IsNullOrWhiteSpace(spec.Summary))
        {
            return spec.Summary;
        }

        var reason = string.IsNullOrWhiteSpace(spec.Signal.Reason) ? string.Empty : $" ({spec.Signal.Reason})";
        return $"{spec.Signal.Type}{reason} on deployment {ns}/{spec.TargetRef.Name}";
    }

    /// <summary>What was observed (the signal's message), and what changed in the failing revision if known.</summary>
    public static string Impact(IncidentSpec spec, IncidentStatus status)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(status);
        var observed = spec.Signal.Message ?? status.Signals?.FirstOrDefault(s => s.Message is not null)?.Message ?? "not measured yet";
        return status.Change is { FailingRevision: { } failing } change
            ? $"{observed} (revision {failing}{(change.GoodRevision is { } good ? $", last good {good}" : string.Empty)})"
            : observed;
    }

    public static string DetectedBy(IncidentSource? source) => source switch
    {
        IncidentSource.Detector => "incident-responder",
        IncidentSource.Alertmanager => "Alertmanager",
        _ => "a person",
    };

    /// <summary>
    /// While the incident holds the target's GitOps owner paused, every update says so and what the pause waits for:
    /// until it is resumed, git's version of the workload is not being applied.
    /// </summary>
    public static string GitOpsHold(IncidentStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.GitOps is { Pause.Phase: GitOpsPausePhase.Paused or GitOpsPausePhase.Resuming, Owner: { } owner } gitops
            ? $"; {owner.Tool} {owner.Kind} {owner.Namespace}/{owner.Name} is paused by this incident{(gitops.Pause.Message is { } why ? $" and {why}" : string.Empty)}"
            : string.Empty;
    }

    /// <summary>The update's "Investigating" line: who or what has the incident now.</summary>
    public static string Acting(IncidentPhase phase, IncidentSpec spec, IncidentStatus status, IReadOnlyList<string> contacts)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(contacts);
        var runbook = spec.RunbookRef?.Name is { } name ? $"runbook {name}" : "no runbook";
        var current = status.Actions?.LastOrDefault();
        return phase switch
        {
            IncidentPhase.Detected => $"incident-responder ({runbook}): choosing the first step",
            IncidentPhase.Mitigating when current is not null => $"incident-responder ({runbook}): step {current.Step} ({current.Type}) {current.Phase}",
            IncidentPhase.Mitigating => $"incident-responder ({runbook})",
            IncidentPhase.AwaitingApproval => $"a person: step {current?.Step ?? "?"} awaits approval (add it to spec.approvals)",
            IncidentPhase.Mitigated => $"incident-responder ({runbook}): target verified healthy, watching until the signal clears",
            IncidentPhase.Escalated when status.People?.HeldBy is { } holder => $"{holder} (escalated)",
            IncidentPhase.Escalated => contacts.Count > 0 ? string.Join(", ", contacts) : "the owning team (the runbook names no contacts)",
            IncidentPhase.Acknowledged => $"{status.People?.HeldBy ?? status.People?.AcknowledgedBy ?? "a person"} (acknowledged; automation resumes on a hand-back)",
            IncidentPhase.Cancelled => "nobody: cancelled as a false alarm",
            _ => "nobody: the incident is closed",
        };
    }
}
