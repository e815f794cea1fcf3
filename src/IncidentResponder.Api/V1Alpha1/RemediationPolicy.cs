using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using IncidentResponder.Api.Schema;
using k8s.Models;

namespace IncidentResponder.Api.V1Alpha1;

/// <summary>
/// What the operator may do, on which workloads of its own namespace, and within which guardrails.
/// A policy never acts outside its own namespace.
/// </summary>
[KubernetesEntity(Group = GroupVersion.Group, ApiVersion = GroupVersion.Version, Kind = "RemediationPolicy", PluralName = "remediationpolicies")]
[ShortNames("rp")]
[Categories(GroupVersion.Category)]
[Description("A RemediationPolicy: which workloads of its namespace the operator governs, which runbook handles each signal, the mode per severity, and the guardrails every action must pass.")]
[PrinterColumn("Mode", "string", ".spec.modes.default")]
[PrinterColumn("Paused", "boolean", ".spec.paused")]
[PrinterColumn("Targets", "integer", ".status.governedTargets", Description = "Workloads the policy governs.")]
[PrinterColumn("Active", "integer", ".status.activeIncidents", Description = "Open incidents under this policy.")]
[PrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
public sealed class RemediationPolicy : CustomResource<RemediationPolicySpec, RemediationPolicyStatus>
{
    public const string KindName = "RemediationPolicy";
    public const string Plural = "remediationpolicies";

    public RemediationPolicy() => Kind = KindName;
}

public sealed partial class RemediationPolicySpec
{
    [Description("Deployments of this namespace the policy governs. Empty or absent: every Deployment in the namespace.")]
    public V1LabelSelector? Selector { get; set; }

    [Required, MinLength(1), MaxLength(20), ListMapKeys("signal")]
    [Description("The signals the policy handles, and the runbook for each.")]
    public List<SignalRoute> Signals { get; set; } = [];

    [Description("How far the operator may go on its own, per severity.")]
    public ModeBySeverity? Modes { get; set; }

    [Description("When a signal becomes an incident.")]
    public DetectionSettings? Detection { get; set; }

    [Description("Limits every action must pass.")]
    public Guardrails? Guardrails { get; set; }

    [DefaultValue(false)]
    [Description("true stops every action under this policy; incidents are still opened and recorded.")]
    public bool? Paused { get; set; }

    [Description("Where to send incident updates, and how often.")]
    public NotificationSettings? Notifications { get; set; }

    [Description("What Alertmanager alerts mean: routes from alert names and labels to signal types.")]
    public AlertSettings? Alerts { get; set; }

    [Description("Targets for time to detect and time to mitigate; post-mortems judge each incident against them.")]
    public ResponseObjectives? Objectives { get; set; }

    [Description("What to do about workloads Argo CD or Flux apply from git: pause their owner, write the fix back.")]
    [JsonPropertyName("gitops")]
    public GitOpsPolicy? GitOps { get; set; }

    [Description("PromQL checks asked of Prometheus for every governed Deployment; a check that holds raises its signal.")]
    public MetricsSettings? Metrics { get; set; }
}

/// <summary>How fast incidents under a policy should be detected and mitigated (the incident-response playbook's detect phase, 0-5 minutes, and mitigate phase, 10-30 minutes).</summary>
public sealed class ResponseObjectives
{
    [DefaultValue("5m"), Duration]
    [Description("Target from the signal becoming visible to the incident being opened (detection: 0-5 minutes).")]
    public string? TimeToDetect { get; set; }

    [DefaultValue("30m"), Duration]
    [Description("Target from the signal becoming visible to the target verified healthy (mitigation: within 30 minutes).")]
    public string? TimeToMitigate { get; set; }
}

public sealed class SignalRoute
{
    [Required]
    [Description("The signal.")]
    public SignalType Signal { get; set; }

    [Required]
    [Description("The Runbook, in this namespace, that handles it.")]
    public LocalObjectReference RunbookRef { get; set; } = new();

    [Description("Severity to use for this signal, overriding the computed one.")]
    public Severity? Severity { get; set; }
}

public sealed class ModeBySeverity
{
    [DefaultValue("DryRun")]
    [Description("Mode for any severity not listed below. DryRun by default: a new policy changes nothing until you say so.")]
    public RemediationMode? Default { get; set; }

    [Description("Mode for SEV-1.")]
    public RemediationMode? Sev1 { get; set; }

    [Description("Mode for SEV-2.")]
    public RemediationMode? Sev2 { get; set; }

    [Description("Mode for SEV-3.")]
    public RemediationMode? Sev3 { get; set; }

    [Description("Mode for SEV-4.")]
    public RemediationMode? Sev4 { get; set; }
}

[CelRule("!has(self.minAffectedPercent) || self.minAffectedPercent > 0 || !has(self.minAffectedPods) || self.minAffectedPods > 0",
    "minAffectedPods and minAffectedPercent cannot both be 0: every pod hiccup would open an incident")]
public sealed class DetectionSettings
{
    [DefaultValue(1), Range(0, 10000)]
    [Description("A pod signal counts when at least this many pods of the new revision show it...")]
    public int? MinAffectedPods { get; set; }

    [DefaultValue(50), Range(0, 100)]
    [Description("...and at least this percentage of the new revision's pods.")]
    public int? MinAffectedPercent { get; set; }

    [DefaultValue("20s"), Duration]
    [Description("...for at least this long (hysteresis: one flaky pod opens nothing).")]
    public string? HoldFor { get; set; }

    [DefaultValue("15m"), Duration]
    [Description("A new signal on a target whose incident closed less than this long ago reopens it instead of opening another.")]
    public string? ReopenWindow { get; set; }

    [DefaultValue("10m"), Duration]
    [Description("A rollout counts as recent for this long after its revision changed.")]
    public string? RecentRolloutWindow { get; set; }

    [DefaultValue("5m"), Duration]
    [Description("A revision becomes 'last known good' after it was fully Available for this long.")]
    public string? LastKnownGoodSoak { get; set; }
}

[CelRule("!has(self.maxActionsPerTarget) || !has(self.maxActionsPerNamespace) || self.maxActionsPerTarget.count <= self.maxActionsPerNamespace.count",
    "maxActionsPerTarget.count cannot be larger than maxActionsPerNamespace.count")]
public sealed class Guardrails
{
    [DefaultValue("10m"), Duration]
    [Description("After an action on a target, no further action on it for this long.")]
    public string? CooldownPerTarget { get; set; }

    [Description("At most this many actions on one target per window.")]
    public ActionBudget? MaxActionsPerTarget { get; set; }

    [Description("At most this many actions in the namespace per window.")]
    public ActionBudget? MaxActionsPerNamespace { get; set; }

    [DefaultValue(3), Range(1, 100)]
    [Description("At most this many incidents may be acting (Mitigating) at once under this policy.")]
    public int? MaxConcurrentIncidents { get; set; }

    [DefaultValue(2), Range(1, 20)]
    [Description("Circuit breaker: after this many actions on a target that did not help, stop acting on it and escalate.")]
    public int? CircuitBreakerThreshold { get; set; }

    [Range(1, 10000)]
    [Description("Scale never goes above this many replicas.")]
    public int? MaxReplicas { get; set; }

    [DefaultValue(false)]
    [Description("Allow Scale to add replicas to a StatefulSet with volumeClaimTemplates. Off by default: each new replica gets a new PersistentVolumeClaim that stays after the incident.")]
    public bool? AllowStatefulScaleWithVolumes { get; set; }

    [Quantity]
    [Description("RaiseMemoryLimit never goes above this limit (e.g. 2Gi).")]
    public string? MaxMemory { get; set; }

    [DefaultValue(2.0), Range(1.0, 10.0)]
    [Description("RaiseMemoryLimit never goes above this multiple of the original limit.")]
    public double? MaxMemoryFactor { get; set; }

    [ListSet, MaxLength(100)]
    [Description("FeatureFlag may flip only these flags. Empty or absent: none.")]
    public List<string>? AllowedFlags { get; set; }
}

public sealed class ActionBudget
{
    [Required, Range(1, 1000)]
    [Description("Number of actions.")]
    public int Count { get; set; }

    [Required, Duration]
    [Description("Sliding window, e.g. 1h.")]
    public string Window { get; set; } = string.Empty;
}

public sealed class NotificationSettings
{
    [MaxLength(10), ListMapKeys("name")]
    [Description("Receivers of incident updates.")]
    public List<NotificationTarget>? Targets { get; set; }

    [Description("Update interval while an incident is open, per severity (defaults: SEV-1 15m, SEV-2 30m, SEV-3 60m; SEV-4 only when set).")]
    public NotificationCadence? Cadence { get; set; }
}

public enum NotificationTargetType
{
    /// <summary>Slack incoming webhook; the Secret key holds the webhook URL.</summary>
    Slack,

    /// <summary>Generic webhook receiving CloudEvents 1.0 JSON; the Secret key holds the URL.</summary>
    Webhook,

    /// <summary>
    /// PagerDuty Events API v2; the Secret key holds the routing key. An optional key <c>url</c> in the same Secret
    /// overrides the endpoint (e.g. https://events.eu.pagerduty.com/v2/enqueue for an EU account, or a proxy).
    /// </summary>
    PagerDuty,
}

[CelRule("!has(self.interactivity) || self.type == 'Slack'",
    "interactivity is for Slack targets only: remove it, or set type: Slack", FieldPath = ".interactivity")]
public sealed class NotificationTarget
{
    [Required, DnsLabel]
    [Description("Name of this receiver.")]
    public string Name { get; set; } = string.Empty;

    [Required]
    [Description("Slack, Webhook or PagerDuty.")]
    public NotificationTargetType Type { get; set; }

    [Required]
    [Description("Secret key holding the webhook URL (Slack, Webhook) or the routing key (PagerDuty; an optional key 'url' in the same Secret overrides the Events API endpoint). Read when sending; never copied.")]
    public SecretKeyReference SecretRef { get; set; } = new();

    [Description("Only incidents at this severity or worse are sent here.")]
    public Severity? MinSeverity { get; set; }

    [Description("Slack only: the messages carry Acknowledge, Approve and Resolve buttons, and the operator accepts the Slack app's interactivity requests for incidents of this policy (signed with the app's signing secret).")]
    public SlackInteractivity? Interactivity { get; set; }
}

/// <summary>
/// Buttons on the Slack messages. Slack sends each click to the operator's interactivity request URL, signed with the
/// Slack app's signing secret; a request that is not signed with the secret named here changes nothing.
/// </summary>
public sealed class SlackInteractivity
{
    [Required]
    [Description("Secret key holding the Slack app's signing secret (Basic Information, App Credentials). Read when a request comes in; never copied.")]
    public SecretKeyReference SigningSecretRef { get; set; } = new();

    [MaxLength(500), ListMapKeys("slackUserId")]
    [Description("Who a Slack user is, as spec.approvals and the other requests name people (e.g. their Kubernetes user). A Slack user not listed is named slack:<their Slack username>.")]
    public List<SlackUserName>? Users { get; set; }
}

/// <summary>One Slack user and the name their clicks are recorded under.</summary>
public sealed class SlackUserName
{
    [Required, MinLength(1), MaxLength(64)]
    [RegularExpression("^[A-Z0-9]+$")]
    [Description("The Slack member ID, e.g. U024BE7LH (profile, ⋮, Copy member ID).")]
    public string SlackUserId { get; set; } = string.Empty;

    [Required, MinLength(1), MaxLength(253)]
    [Description("The name recorded as 'by' for this user's clicks.")]
    public string Name { get; set; } = string.Empty;
}

public sealed class NotificationCadence
{
    [DefaultValue("15m"), Duration]
    [Description("While a SEV-1 incident is open, an update at least this often, counted from the last update sent.")]
    public string? Sev1 { get; set; }

    [DefaultValue("30m"), Duration]
    [Description("While a SEV-2 incident is open, an update at least this often, counted from the last update sent.")]
    public string? Sev2 { get; set; }

    [DefaultValue("60m"), Duration]
    [Description("While a SEV-3 incident is open, an update at least this often, counted from the last update sent.")]
    public string? Sev3 { get; set; }

    [Duration]
    [Description("Absent: no periodic updates for SEV-4 (as needed).")]
    public string? Sev4 { get; set; }
}

public sealed class RemediationPolicyStatus
{
    public long? ObservedGeneration { get; set; }

    [Description("Deployments the policy governs now.")]
    public int? GovernedTargets { get; set; }

    [Description("Open incidents under this policy.")]
    public int? ActiveIncidents { get; set; }

    [ListMapKeys("type")]
    [Description("Ready: the policy and the runbooks it names are valid.")]
    public List<V1Condition>? Conditions { get; set; }
}
