using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Notifications;

/// <summary>What an update is, which decides its headline (and a webhook's CloudEvent type).</summary>
public enum UpdateKind
{
    /// <summary>The first update a target gets about an incident: the "INCIDENT DECLARED" template.</summary>
    Declared,

    /// <summary>Something happened: an action moved, the incident was mitigated or reopened.</summary>
    Changed,

    /// <summary>Nothing happened since the last update, and the cadence says people must hear so.</summary>
    Periodic,

    /// <summary>The operator handed the incident to people.</summary>
    Escalated,

    /// <summary>The incident is closed.</summary>
    Resolved,
}

/// <summary>The PagerDuty Events API v2 event_action an update maps to.</summary>
public enum PagerDutyAction
{
    Trigger,
    Acknowledge,
    Resolve,
}

/// <summary>
/// One update about one incident for one target, in the playbook's update template: what, impact, since, who or
/// what is acting, what changed, the phase, and when the next update comes. Senders turn it into Slack blocks, a CloudEvent or a
/// PagerDuty event; none of them decides anything.
/// </summary>
/// <param name="Changes">What happened since the target's last update, oldest first; empty for a periodic update.</param>
/// <param name="NextUpdateAt">When the next periodic update is due; null when none is (SEV-4, or closed).</param>
/// <param name="PagerDuty">The event action when the target is PagerDuty; null otherwise.</param>
/// <param name="AwaitingApproval">The runbook step waiting for a person's approval, if one is (a Slack Approve button).</param>
public sealed record IncidentUpdate(
    UpdateKind Kind,
    string IncidentNamespace,
    string IncidentName,
    string? IncidentUid,
    string Target,
    Severity Severity,
    IncidentPhase Phase,
    SignalType Signal,
    string What,
    string Impact,
    DateTimeOffset Since,
    string DetectedBy,
    string Acting,
    IReadOnlyList<string> Changes,
    DateTimeOffset At,
    DateTimeOffset? NextUpdateAt,
    TimeSpan? Cadence,
    PagerDutyAction? PagerDuty,
    string? AwaitingApproval = null)
{
    /// <summary>"SEV-2", as the severity table writes it.</summary>
    public string SeverityLabel => $"SEV-{(int)Severity}";

    /// <summary>The headline, e.g. "INCIDENT DECLARED — SEV-2".</summary>
    public string Headline => Kind switch
    {
        UpdateKind.Declared => $"INCIDENT DECLARED — {SeverityLabel}",
        UpdateKind.Escalated => $"INCIDENT ESCALATED — {SeverityLabel}",
        UpdateKind.Resolved => $"INCIDENT RESOLVED — {SeverityLabel}",
        _ => $"INCIDENT UPDATE — {SeverityLabel}",
    };

    /// <summary>
    /// The key PagerDuty deduplicates on, the same for every event of this incident: namespace/name/uid, so a
    /// new incident reusing a deleted one's name is a new alert.
    /// </summary>
    public string DedupKey => IncidentUid is { Length: > 0 } uid ? $"{IncidentNamespace}/{IncidentName}/{uid}" : $"{IncidentNamespace}/{IncidentName}";
}
