using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using IncidentResponder.Api.Schema;
using k8s.Models;

namespace IncidentResponder.Api.V1Alpha1;

/// <summary>
/// An incident: what is failing, how bad, what the operator did about it and when.
/// Opened by the operator (or declared by a person with kubectl); its status is the record.
/// </summary>
[KubernetesEntity(Group = GroupVersion.Group, ApiVersion = GroupVersion.Version, Kind = "Incident", PluralName = "incidents")]
[ShortNames("inc")]
[Categories(GroupVersion.Category)]
[Description("An Incident: the target, the signal, the severity, and the record of every step taken, with timestamps.")]
[PrinterColumn("Severity", "string", ".status.severity")]
[PrinterColumn("Phase", "string", ".status.phase")]
[PrinterColumn("Kind", "string", ".spec.targetRef.kind", Priority = 1, Description = "Kind of the target workload.")]
[PrinterColumn("Target", "string", ".spec.targetRef.name")]
[PrinterColumn("Signal", "string", ".spec.signal.type")]
[PrinterColumn("Reason", "string", ".spec.signal.reason", Priority = 1)]
[PrinterColumn("Mitigated", "date", ".status.mitigatedAt", Description = "Time since the target was verified healthy.")]
[PrinterColumn("Resolved", "date", ".status.resolvedAt", Priority = 1)]
[PrinterColumn("Runbook", "string", ".spec.runbookRef.name", Priority = 1)]
[PrinterColumn("GitOps", "string", ".status.gitops.pause.phase", Priority = 1, Description = "The pause of the GitOps owner of the target.")]
[PrinterColumn("Holder", "string", ".status.people.heldBy", Priority = 1, Description = "The person holding the incident; empty while automation holds it.")]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
public sealed class Incident : CustomResource<IncidentSpec, IncidentStatus>
{
    public const string KindName = "Incident";
    public const string Plural = "incidents";

    public Incident() => Kind = KindName;
}

public sealed class IncidentSpec
{
    [Required]
    [Description("The workload the incident is about, in this namespace.")]
    public TargetReference TargetRef { get; set; } = new();

    [Required]
    [Description("The signal that opened the incident.")]
    public Signal Signal { get; set; } = new();

    [Required]
    [Description("Severity as declared or triaged. The status carries the current severity.")]
    public Severity Severity { get; set; } = Severity.Sev3;

    [MaxLength(1024)]
    [Description("One line: what is wrong and who is affected.")]
    public string? Summary { get; set; }

    [Description("The runbook handling the incident.")]
    public LocalObjectReference? RunbookRef { get; set; }

    [Description("The policy the incident falls under.")]
    public LocalObjectReference? PolicyRef { get; set; }

    [ListMapKeys("step"), MaxLength(20)]
    [Description("Runbook steps a person approved (for policies in RequireApproval mode), with who approved each: kubectl incident approve STEP.")]
    public List<StepApproval>? Approvals { get; set; }

    [MaxLength(253)]
    [Description("Who declared the incident, for incidents a person opens (kubectl incident declare fills it in).")]
    public string? DeclaredBy { get; set; }

    [Description("A person acknowledged the incident: who, and when. On an escalated incident the person then holds it.")]
    public PersonRequest? Acknowledgement { get; set; }

    [Description("Who runs the incident: commander and communications lead.")]
    public IncidentRoles? Roles { get; set; }

    [CelRule("has(self.at)", "a hand-back needs 'at', the time it was asked for (a later time is a new hand-back)", FieldPath = ".at", Reason = "FieldValueRequired")]
    [Description("Hand an escalated or acknowledged incident back to automation: the runbook runs again.")]
    public PersonRequest? Handback { get; set; }

    [Description("A person closes the incident: Resolved with a reason, or Cancelled as a false alarm.")]
    public IncidentResolution? Resolution { get; set; }

    [CelRule("has(self.at)", "a reopen needs 'at', the time it was asked for (later than the resolution's)", FieldPath = ".at", Reason = "FieldValueRequired")]
    [Description("Reopen a closed incident: a reopen later than the resolution (and than the last reopen) opens it again.")]
    public PersonRequest? Reopen { get; set; }

    [Description("A person's severity for the incident; it wins over the operator's own grading, which is still recorded.")]
    public SeverityRegrade? Regrade { get; set; }

    [MaxLength(50)]
    [Description("Lines people add to the incident's story; the operator copies each into the timeline once.")]
    public List<PersonNote>? Notes { get; set; }

    [DefaultValue("Manual")]
    [Description("Who opened the incident: Detector (the operator), Alertmanager, or Manual (a person).")]
    public IncidentSource? Source { get; set; }

    [Description("What a person asks of the GitOps owner this incident paused.")]
    [JsonPropertyName("gitops")]
    public IncidentGitOpsSpec? GitOps { get; set; }
}

public enum IncidentSource
{
    Detector,
    Alertmanager,
    Manual,
}

public sealed class Signal
{
    [Required]
    [Description("Kind of failure.")]
    public SignalType Type { get; set; }

    [MaxLength(128)]
    [Description("The Kubernetes reason as reported (e.g. ImagePullBackOff, ProgressDeadlineExceeded, OOMKilled).")]
    public string? Reason { get; set; }

    [MaxLength(4096)]
    [Description("What was observed, in words.")]
    public string? Message { get; set; }

    [MaxLength(253)]
    [Description("Stable identity of the signal (target + type [+ revision]); signals with the same fingerprint join the same incident.")]
    public string? Fingerprint { get; set; }

    [Description("When the signal was first seen.")]
    public DateTime? FirstSeen { get; set; }
}

public sealed class IncidentStatus
{
    [Description("The generation this status describes.")]
    public long? ObservedGeneration { get; set; }

    [Description("Where the incident stands.")]
    public IncidentPhase? Phase { get; set; }

    [Description("Current severity (may change as the incident develops).")]
    public Severity? Severity { get; set; }

    [ListMapKeys("type")]
    [Description("Conditions: Mitigated, Resolved, Escalated, Acting, TargetFound, Acknowledged.")]
    public List<V1Condition>? Conditions { get; set; }

    [Description("When the first signal became visible.")]
    public DateTime? DetectedAt { get; set; }

    [Description("When the incident was opened.")]
    public DateTime? OpenedAt { get; set; }

    [Description("When an action was verified to have restored the target.")]
    public DateTime? MitigatedAt { get; set; }

    [Description("When the incident was closed.")]
    public DateTime? ResolvedAt { get; set; }

    [Description("Time from the signal being visible to the incident being opened, e.g. 2.5s.")]
    public string? TimeToDetect { get; set; }

    [Description("Time from the signal being visible to mitigation, e.g. 45s.")]
    public string? TimeToMitigate { get; set; }

    [MaxLength(20), ListMapKeys("fingerprint")]
    [Description("Every signal that joined this incident.")]
    public List<SignalRecord>? Signals { get; set; }

    [MaxLength(50)]
    [Description("Actions, in the order they were decided. An action is written here before it is applied (crash safety).")]
    public List<ActionRecord>? Actions { get; set; }

    [MaxLength(100)]
    [Description("The incident's story, oldest first; bounded (the oldest entries are summarised away).")]
    public List<TimelineEntry>? Timeline { get; set; }

    [Description("What changed in the failing revision, compared with the last good one.")]
    public RevisionChange? Change { get; set; }

    [MaxLength(10), ListMapKeys("target")]
    [Description("One record per notification target of the policy: what was sent, when, and whether delivery is failing.")]
    public List<NotificationRecord>? Notifications { get; set; }

    [Description("The GitOps owner of the target, its pause and resume, and the change written back to git.")]
    [JsonPropertyName("gitops")]
    public IncidentGitOpsStatus? GitOps { get; set; }

    [Description("Who declared, acknowledged, holds and closed the incident, and which of the people's requests are applied.")]
    public IncidentPeopleStatus? People { get; set; }
}

public sealed class SignalRecord
{
    [Required, MaxLength(253)]
    public string Fingerprint { get; set; } = string.Empty;

    [Required]
    public SignalType Type { get; set; }

    [MaxLength(128)]
    public string? Reason { get; set; }

    [MaxLength(1024)]
    public string? Message { get; set; }

    public DateTime? FirstSeen { get; set; }

    public DateTime? LastSeen { get; set; }

    [Description("The signal is no longer observed.")]
    public bool? Cleared { get; set; }
}

public sealed class ActionRecord
{
    [Required, DnsLabel]
    [Description("The runbook step.")]
    public string Step { get; set; } = string.Empty;

    [Required]
    public ActionType Type { get; set; }

    [Required]
    public ActionPhase Phase { get; set; }

    [Description("Attempt number of this step (1 for the first).")]
    public int? Attempt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    [MaxLength(1024)]
    [Description("What happened, or why nothing did.")]
    public string? Message { get; set; }

    [Description("Action details: revisions, original and new values (so the action can be reverted), dry-run results.")]
    public Dictionary<string, string>? Details { get; set; }
}

public enum TimelineEntryType
{
    Detected,
    Triaged,
    Decision,
    Guardrail,
    Action,
    Verification,
    Phase,
    Notification,
    Evidence,
    Note,
}

public sealed class TimelineEntry
{
    [Required]
    public DateTime Time { get; set; }

    [Required]
    public TimelineEntryType Type { get; set; }

    [Required, MaxLength(1024)]
    public string Message { get; set; } = string.Empty;
}

public sealed class RevisionChange
{
    [Description("Revision (deployment.kubernetes.io/revision) that failed.")]
    public long? FailingRevision { get; set; }

    [Description("Last good revision it is compared with.")]
    public long? GoodRevision { get; set; }

    [MaxLength(50)]
    [Description("Differences in images, env names, resources, args and probes, one line each.")]
    public List<string>? Differences { get; set; }
}

/// <summary>Where PagerDuty's alert for the incident stands, as last sent (trigger, acknowledge, resolve).</summary>
public enum PagerDutyState
{
    Triggered,
    Acknowledged,
    Resolved,
}

/// <summary>The delivery record of one notification target for one incident.</summary>
public sealed class NotificationRecord
{
    [Required, DnsLabel]
    [Description("The target's name in the policy's spec.notifications.targets.")]
    public string Target { get; set; } = string.Empty;

    [Required]
    [Description("Slack, Webhook or PagerDuty.")]
    public NotificationTargetType Type { get; set; }

    [Description("Updates delivered to this target.")]
    public int? UpdatesSent { get; set; }

    [Description("When the last update was delivered; periodic updates are counted from here.")]
    public DateTime? LastSentAt { get; set; }

    [MaxLength(253)]
    [Description("Key of the latest incident moment (opened, an action phase, mitigated, resolved...) the target was told about.")]
    public string? LastMoment { get; set; }

    [Description("When that moment happened.")]
    public DateTime? LastMomentAt { get; set; }

    [Description("When the next periodic update is due, as promised in the last one; absent when none is due.")]
    public DateTime? NextUpdateAt { get; set; }

    [Description("Deliveries that failed since the last success; retries back off exponentially.")]
    public int? ConsecutiveFailures { get; set; }

    [MaxLength(1024)]
    [Description("Why the last delivery failed (never the Secret's content).")]
    public string? LastError { get; set; }

    [Description("When the last delivery failed.")]
    public DateTime? LastErrorAt { get; set; }

    [Description("PagerDuty targets: the alert state last sent.")]
    public PagerDutyState? PagerDutyState { get; set; }
}
