using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using IncidentResponder.Api.Schema;
using k8s.Models;

namespace IncidentResponder.Api.V1Alpha1;

/// <summary>
/// A runbook, as in the incident-response playbook's runbook template: symptoms, severity, ordered mitigation steps, escalation.
/// Authored by people (often in Git); the operator only ever writes its status.
/// </summary>
[KubernetesEntity(Group = GroupVersion.Group, ApiVersion = GroupVersion.Version, Kind = "Runbook", PluralName = "runbooks")]
[ShortNames("rb")]
[Categories(GroupVersion.Category)]
[Description("A Runbook: symptoms, default severity and the ordered mitigation steps the operator may run for the signals it applies to.")]
[PrinterColumn("Title", "string", ".spec.title")]
[PrinterColumn("Severity", "string", ".spec.severity")]
[PrinterColumn("Signals", "string", ".spec.signals", Description = "Signals this runbook applies to.", Priority = 1)]
[PrinterColumn("Steps", "integer", ".status.stepCount")]
[PrinterColumn("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
public sealed class Runbook : CustomResource<RunbookSpec, RunbookStatus>
{
    public const string KindName = "Runbook";
    public const string Plural = "runbooks";

    public Runbook() => Kind = KindName;
}

[CelRule("self.steps.all(s, !has(s.onFailure) || !has(s.onFailure.step) || self.steps.exists(t, t.name == s.onFailure.step))",
    "a step's onFailure.step must name another step of this runbook", FieldPath = ".steps")]
[CelRule("self.steps.all(s, !has(s.onFailure) || !has(s.onFailure.step) || s.onFailure.step != s.name)",
    "a step's onFailure.step must not name the step itself (that would loop)", FieldPath = ".steps")]
public sealed class RunbookSpec
{
    [Required, MinLength(1), MaxLength(200)]
    [Description("Human title, e.g. 'Bad rollout'.")]
    public string Title { get; set; } = string.Empty;

    [MaxLength(4096)]
    [Description("What this runbook is for, in prose.")]
    public string? Description { get; set; }

    [MaxLength(20)]
    [Description("Symptoms a person would notice, e.g. 'checkout returns 502'.")]
    public List<string>? Symptoms { get; set; }

    [DefaultValue("SEV-3")]
    [Description("Severity when nothing more specific applies.")]
    public Severity? Severity { get; set; }

    [Required, MinLength(1), ListSet]
    [Description("The signals this runbook handles.")]
    public List<SignalType> Signals { get; set; } = [];

    [Required, MinLength(1), MaxLength(20), ListMapKeys("name")]
    [Description("Steps, tried in order. The first whose 'when' matches runs; if its verification fails, its onFailure decides what comes next.")]
    public List<RunbookStep> Steps { get; set; } = [];

    [Description("Who to hand the incident to when the steps run out or a step escalates.")]
    public Escalation? Escalation { get; set; }

    [MaxLength(20)]
    [Description("Dashboards and documents for the people on call.")]
    public List<Link>? Links { get; set; }
}

/// <summary>One step of a runbook.</summary>
[CelRule("self.action.type != 'RolloutUndo' || !has(self.action.scale) && !has(self.action.raiseMemoryLimit) && !has(self.action.featureFlag)",
    "a RolloutUndo action takes only its own 'rolloutUndo' settings", FieldPath = ".action")]
public sealed class RunbookStep
{
    [Required, DnsLabel]
    [Description("Step name, unique in the runbook; also the word a person adds to an Incident's spec.approvals to approve it.")]
    public string Name { get; set; } = string.Empty;

    [MaxLength(1024)]
    [Description("Why this step, in prose.")]
    public string? Description { get; set; }

    [Required]
    [Description("What the step does.")]
    public RunbookAction Action { get; set; } = new();

    [Description("When the step applies. Without it, the step always applies.")]
    public StepCondition? When { get; set; }

    [Description("How to tell the step worked.")]
    public StepVerification? Verify { get; set; }

    [Description("What happens when the step's verification fails or times out. Default: go on to the next step.")]
    public StepFailurePolicy? OnFailure { get; set; }
}

/// <summary>The action of a step: a type and the settings for that type.</summary>
[CelRule("self.type != 'Scale' || has(self.scale)", "a Scale action needs a 'scale' block (delta or factor)")]
[CelRule("self.type != 'RaiseMemoryLimit' || has(self.raiseMemoryLimit)", "a RaiseMemoryLimit action needs a 'raiseMemoryLimit' block")]
[CelRule("self.type != 'FeatureFlag' || has(self.featureFlag)", "a FeatureFlag action needs a 'featureFlag' block naming the flag and its provider")]
[CelRule("self.type != 'Note' || has(self.note)", "a Note action needs a 'note' text")]
[CelRule("!has(self.rolloutUndo) || self.type == 'RolloutUndo'", "'rolloutUndo' settings belong only to a RolloutUndo action")]
[CelRule("!has(self.scale) || self.type == 'Scale'", "'scale' settings belong only to a Scale action")]
[CelRule("!has(self.raiseMemoryLimit) || self.type == 'RaiseMemoryLimit'", "'raiseMemoryLimit' settings belong only to a RaiseMemoryLimit action")]
[CelRule("!has(self.featureFlag) || self.type == 'FeatureFlag'", "'featureFlag' settings belong only to a FeatureFlag action")]
public sealed class RunbookAction
{
    [Required]
    [Description("The action to run.")]
    public ActionType Type { get; set; }

    [Description("Settings for RolloutUndo.")]
    public RolloutUndoAction? RolloutUndo { get; set; }

    [Description("Settings for Scale.")]
    public ScaleAction? Scale { get; set; }

    [Description("Settings for RaiseMemoryLimit.")]
    public RaiseMemoryLimitAction? RaiseMemoryLimit { get; set; }

    [Description("Settings for FeatureFlag.")]
    public FeatureFlagAction? FeatureFlag { get; set; }

    [MaxLength(4096)]
    [Description("Guidance for people (Escalate) or the note to record (Note).")]
    public string? Note { get; set; }
}

/// <summary>Which revision a RolloutUndo returns to.</summary>
public enum UndoTarget
{
    /// <summary>The revision before the current one, as kubectl rollout undo does.</summary>
    Previous,

    /// <summary>The newest revision that was fully Available for the policy's soak period.</summary>
    LastKnownGood,
}

public sealed class RolloutUndoAction
{
    [DefaultValue("LastKnownGood")]
    [Description("Previous: the revision before the current one (kubectl's behaviour). LastKnownGood: the newest revision that was fully Available for the soak period, skipping bad ones.")]
    public UndoTarget? To { get; set; }

    [DefaultValue(false)]
    [Description("StatefulSets only: after the revert, delete a pod still crash-looping on the reverted revision. Under OrderedReady the controller waits for that pod forever and never replaces it (a known limitation of the StatefulSet controller); deleting it lets the good revision take its place.")]
    public bool? ForceRecreateStuckPods { get; set; }
}

[CelRule("has(self.delta) != has(self.factor)", "set exactly one of 'delta' (replicas to add) or 'factor' (multiply replicas)")]
public sealed class ScaleAction
{
    [Range(1, 1000)]
    [Description("Replicas to add.")]
    public int? Delta { get; set; }

    [Range(1.1, 10.0)]
    [Description("Multiply the current replicas by this factor (rounded up), e.g. 1.5.")]
    public double? Factor { get; set; }

    [DefaultValue(false)]
    [Description("Scale back to the original replicas once the incident is resolved and stable.")]
    public bool? ScaleBackOnResolve { get; set; }
}

public sealed class RaiseMemoryLimitAction
{
    [DnsLabel]
    [Description("Container whose limit to raise; default: the container that was OOM-killed.")]
    public string? Container { get; set; }

    [DefaultValue(1.5)]
    [Range(1.1, 4.0)]
    [Description("Multiply the current memory limit by this factor; the policy's cap still applies.")]
    public double? Factor { get; set; }

    [DefaultValue(false)]
    [Description("Set the limit back to the original once the incident is resolved and stable (after the policy's scaleBackAfter), unless someone changed it since.")]
    public bool? RevertOnResolve { get; set; }
}

/// <summary>Where a feature flag lives.</summary>
public enum FeatureFlagProviderType
{
    /// <summary>A key of a ConfigMap in the target's namespace.</summary>
    ConfigMap,

    /// <summary>An OpenFeature operator FeatureFlag resource (core.openfeature.dev): its defaultVariant is changed.</summary>
    OpenFeature,

    /// <summary>An HTTP endpoint that flips the flag, e.g. a POST to a feature-flag service.</summary>
    Http,
}

[CelRule("self.provider != 'ConfigMap' || has(self.configMap)", "a ConfigMap flag provider needs a 'configMap' block")]
[CelRule("self.provider != 'OpenFeature' || has(self.openFeature)", "an OpenFeature flag provider needs an 'openFeature' block")]
[CelRule("self.provider != 'Http' || has(self.http)", "an Http flag provider needs an 'http' block with the endpoint")]
public sealed class FeatureFlagAction
{
    [Required, MinLength(1), MaxLength(253)]
    [Description("Name of the flag.")]
    public string Flag { get; set; } = string.Empty;

    [Required]
    [Description("The value to set while the incident lasts (e.g. \"false\" to disable a feature, or a variant name).")]
    [MinLength(1), MaxLength(253)]
    public string Value { get; set; } = string.Empty;

    [Required]
    [Description("Where the flag lives.")]
    public FeatureFlagProviderType Provider { get; set; }

    [Description("ConfigMap provider settings.")]
    public ConfigMapFlagProvider? ConfigMap { get; set; }

    [Description("OpenFeature provider settings.")]
    public OpenFeatureFlagProvider? OpenFeature { get; set; }

    [Description("HTTP provider settings.")]
    public HttpFlagProvider? Http { get; set; }

    [DefaultValue(false)]
    [Description("Restore the original value once the incident is resolved.")]
    public bool? RevertOnResolve { get; set; }
}

public sealed class ConfigMapFlagProvider
{
    [Required, DnsSubdomainName]
    [Description("ConfigMap in the target's namespace.")]
    public string Name { get; set; } = string.Empty;

    [MaxLength(253)]
    [RegularExpression(@"^[-._a-zA-Z0-9]+$")]
    [Description("Key holding the flag; default: the flag's name.")]
    public string? Key { get; set; }
}

public sealed class OpenFeatureFlagProvider
{
    [Required, DnsSubdomainName]
    [Description("Name of the FeatureFlag resource (core.openfeature.dev) in the target's namespace.")]
    public string Name { get; set; } = string.Empty;
}

// One team's slow endpoint must not hold the operator's workers for long: the worst case of one flip, every attempt
// timing out, is bounded at the API. Backoff between attempts is short and not counted.
[CelRule("duration(has(self.timeout) ? self.timeout : '10s').getSeconds() * ((has(self.retries) ? self.retries : 3) + 1) <= 60",
    "timeout × (retries + 1) must be at most 60s, so one endpoint cannot hold the operator for longer; lower 'timeout' or 'retries'",
    FieldPath = ".timeout")]
public sealed class HttpFlagProvider
{
    [Required, MaxLength(2048)]
    [RegularExpression("^https?://.+")]
    [Description("Endpoint URL.")]
    public string Url { get; set; } = string.Empty;

    [DefaultValue("POST")]
    [RegularExpression("^(POST|PUT|PATCH)$")]
    [Description("HTTP method: POST, PUT or PATCH.")]
    public string? Method { get; set; }

    [MaxLength(8192)]
    [Description("JSON body. {{flag}} and {{value}} are replaced; default: {\"<flag>\": <value>}.")]
    public string? Body { get; set; }

    [Description("Secret key holding the Authorization header value (e.g. 'Bearer ...').")]
    public SecretKeyReference? AuthSecretRef { get; set; }

    [DefaultValue("10s"), Duration]
    [Description("Timeout of one attempt.")]
    public string? Timeout { get; set; }

    [DefaultValue(3), Range(0, 10)]
    [Description("Retries after the first attempt, with exponential backoff.")]
    public int? Retries { get; set; }
}

/// <summary>The mitigation decision tree's questions (which signal, a recent rollout, how severe), as conditions on a step.</summary>
public sealed class StepCondition
{
    [ListSet]
    [Description("The step applies only to these signals.")]
    public List<SignalType>? Signals { get; set; }

    [Description("true: only when the target was rolled out recently (the failing revision is new); false: only when it was not.")]
    public bool? RecentRollout { get; set; }

    [Description("The step applies only at this severity or worse (SEV-1 is the worst).")]
    public Severity? MinSeverity { get; set; }
}

/// <summary>Which health checks verify a step.</summary>
public enum VerificationCheck
{
    /// <summary>The Deployment reports Available=True with all replicas updated and available.</summary>
    Available,

    /// <summary>Every pod of the current revision is ready.</summary>
    NewPodsReady,

    /// <summary>No new failure signal for the verification window.</summary>
    NoNewSignal,
    /// <summary>No metrics check (spec.metrics of the policy) holds on the target any more: the incident's metric signals cleared.</summary>
    Query,

    /// <summary>The step's verify.httpProbe answers as expected within its latency budget.</summary>
    HttpProbe,
}

[CelRule("!has(self.window) || !has(self.timeout) || duration(self.window) <= duration(self.timeout)",
    "verify.window must not be longer than verify.timeout")]
public sealed partial class StepVerification
{
    [DefaultValue("30s"), Duration]
    [Description("How long the target must stay healthy before the step counts as successful.")]
    public string? Window { get; set; }

    [DefaultValue("5m"), Duration]
    [Description("Give up on the step (it failed) after this long.")]
    public string? Timeout { get; set; }

    [ListSet, MaxLength(10)]
    [Description("Checks that must all pass. Default: Available and NoNewSignal.")]
    public List<VerificationCheck>? Checks { get; set; }
}

/// <summary>What comes after a failed step.</summary>
public enum FailureAction
{
    /// <summary>Go on to the next step whose 'when' matches.</summary>
    NextStep,

    /// <summary>Stop acting and escalate to people.</summary>
    Escalate,

    /// <summary>Go to the named step.</summary>
    GoTo,
}

[CelRule("self.action != 'GoTo' || has(self.step)", "onFailure.action GoTo needs 'step', the name of the step to go to")]
[CelRule("!has(self.step) || self.action == 'GoTo'", "onFailure.step is only used with action GoTo")]
public sealed class StepFailurePolicy
{
    [DefaultValue("NextStep")]
    [Description("NextStep, Escalate or GoTo.")]
    public FailureAction? Action { get; set; }

    [DnsLabel]
    [Description("With GoTo: the step to go to.")]
    public string? Step { get; set; }
}

public sealed class Escalation
{
    [MaxLength(20)]
    [Description("Who to engage, in order (primary, secondary, manager), e.g. '@backend-oncall'.")]
    public List<string>? Contacts { get; set; }

    [MaxLength(4096)]
    [Description("Guidance for the people who take over.")]
    public string? Guidance { get; set; }
}

public sealed class RunbookStatus
{
    [Description("The generation this status describes.")]
    public long? ObservedGeneration { get; set; }

    [Description("Number of steps.")]
    public int? StepCount { get; set; }

    [ListMapKeys("type")]
    [Description("Ready: the runbook is valid and usable.")]
    public List<V1Condition>? Conditions { get; set; }
}
