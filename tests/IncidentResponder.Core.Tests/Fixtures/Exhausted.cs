using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Exhaustion;
using IncidentResponder.Core.Guardrails;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Revisions;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Fixtures;

/// <summary>
/// Deployment "web" settled on revision 2 for three days (no recent rollout), container "app" with a 256Mi limit and a
/// 128Mi request, and incidents on it: the stage for exhaustion, dependency and data incidents.
/// </summary>
public static class Exhausted
{
    public const string IncidentName = "web-oom-1";

    public static readonly ReplicaSetObservation Stable = ReplicaSet(2, Clock.T0.AddDays(-3), template: Template("256Mi"));

    public static PodTemplateSummary Template(string? limit, string image = "registry.example/web:2.0") => new(ValueList.Of(
        ContainerSummary.Of("app", image) with
        {
            Limits = limit is null ? ValueList<ResourceQuantity>.Empty : ValueList.Of(new ResourceQuantity("memory", limit)),
            Requests = ValueList.Of(new ResourceQuantity("memory", "128Mi")),
        }));

    public static DeploymentObservation Web(string? limit = "256Mi", int replicas = 4) =>
        Deployment(desired: replicas, ready: replicas, available: replicas, updated: replicas, revision: 2) with { Template = Template(limit) };

    public static PodObservation Oom(string name) => OomKilled(name, 2, Clock.At(-10)) with { CreatedAt = Clock.T0.AddDays(-1) };

    public static PodObservation Fine(string name) => HealthyPod(name, 2) with { CreatedAt = Clock.T0.AddDays(-1) };

    /// <summary>Half the pods OOM-killed: over the default thresholds.</summary>
    public static PodObservation[] OomPods() => [Oom("web-1"), Oom("web-2"), Fine("web-3"), Fine("web-4")];

    public static PodObservation[] HealthyPods() => [Fine("web-1"), Fine("web-2"), Fine("web-3"), Fine("web-4")];

    public static ObservedSignal Signal(SignalType type, string reason) =>
        new($"deployment/web/{type}/r2", type, reason, $"{type} on revision 2", Clock.At(-20));

    public static IncidentStatus Opened(SignalType type = SignalType.OOMKilled, Severity severity = Severity.Sev3, string reason = "OOMKilled") =>
        IncidentStateMachine.Apply(null, new IncidentEvent.Opened(Signal(type, reason), new SeverityAssessment(severity, $"SEV-{(int)severity}: test"), Clock.At(-20), null), Clock.T0);

    /// <summary>An incident context on the stable Deployment; detection runs the exhaustion detector with no hold.</summary>
    public static IncidentContext Context(
        RunbookSpec runbook,
        EffectivePolicy policy,
        IncidentStatus? status = null,
        DeploymentObservation? deployment = null,
        PodObservation[]? pods = null,
        ReplicaSetObservation[]? replicaSets = null,
        IReadOnlyList<ActionHistoryEntry>? history = null,
        ActionObservations? actions = null,
        IReadOnlyCollection<string>? approvals = null,
        DateTimeOffset? now = null)
    {
        var observed = new DetectionInput(deployment ?? Web(), replicaSets ?? [Stable], pods ?? OomPods());
        var detection = ExhaustionDetector.Detect(ExhaustionInput.Of(observed), policy.Detection with { HoldFor = TimeSpan.Zero }, ExhaustionThresholds.Default,
            HysteresisState.Empty, RestartHistory.Empty, now ?? Clock.T0).Result;
        return new IncidentContext(IncidentName, Namespace, approvals ?? [], status ?? Opened(), runbook, policy, observed, detection,
            new RevisionHistory(ValueList.Of(new RevisionRecord(2, Clock.T0.AddDays(-3), Clock.T0.AddDays(-3), TimeSpan.Zero))),
            history ?? [], [], actions);
    }
}
