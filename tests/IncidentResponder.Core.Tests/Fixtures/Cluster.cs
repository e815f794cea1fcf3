using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Tests.Fixtures;

/// <summary>
/// Builders for observations of one Deployment "web" in namespace "shop". Defaults describe a healthy, settled
/// Deployment; tests change only what they are about with <c>with</c> expressions.
/// </summary>
public static class Cluster
{
    public const string Namespace = "shop";
    public const string Name = "web";

    public static DeploymentObservation Deployment(
        int desired = 4, int ready = 4, int available = 4, int updated = 4, int unavailable = 0,
        long revision = 2, bool paused = false, IReadOnlyDictionary<string, string>? annotations = null,
        params DeploymentCondition[] conditions) =>
        new(Namespace, Name, "uid-web", 5, 5, desired, ready, available, updated, unavailable, paused,
            annotations ?? new Dictionary<string, string>(),
            conditions.Length > 0 ? conditions : [Available, Complete],
            revision,
            Template(revision));

    public static readonly DeploymentCondition Available = new("Available", "True", "MinimumReplicasAvailable");
    public static readonly DeploymentCondition Complete = new("Progressing", "True", "NewReplicaSetAvailable");
    public static readonly DeploymentCondition Updating = new("Progressing", "True", "ReplicaSetUpdated");
    public static readonly DeploymentCondition Unavailable = new("Available", "False", "MinimumReplicasUnavailable");

    public static DeploymentCondition DeadlineExceeded(DateTimeOffset at) =>
        new("Progressing", "False", "ProgressDeadlineExceeded", "ReplicaSet \"web-h3\" has timed out progressing.", at);

    /// <summary>A rollout to <paramref name="revision"/> in progress: half the replicas are updated, none of them available yet.</summary>
    public static DeploymentObservation RollingOut(long revision = 3) =>
        Deployment(desired: 4, ready: 3, available: 3, updated: 2, unavailable: 1, revision: revision, conditions: [Available, Updating]);

    public static PodTemplateSummary Template(long revision, string? image = null) =>
        new(ValueList.Of(ContainerSummary.Of("app", image ?? $"registry.example/web:{revision}.0")));

    public static ReplicaSetObservation ReplicaSet(long revision, DateTimeOffset createdAt, int replicas = 4, int ready = 4, PodTemplateSummary? template = null) =>
        new($"web-h{revision}", revision, $"h{revision}", createdAt, replicas, ready, ready, template ?? Template(revision));

    public static ContainerObservation Healthy(string name = "app") => new(name, true, true, null, null, null, null, 0);

    public static PodObservation Pod(string name, long revision, bool ready, params ContainerObservation[] containers) =>
        new(name, $"web-h{revision}", $"h{revision}", Clock.T0.AddMinutes(-1), "Running", ready,
            ready ? null : Clock.T0.AddMinutes(-1), ValueList.Of(containers.Length > 0 ? containers : [Healthy()]));

    public static PodObservation HealthyPod(string name, long revision) => Pod(name, revision, true);

    public static PodObservation Waiting(string name, long revision, string reason, int restarts = 3) =>
        Pod(name, revision, false, new ContainerObservation("app", false, false, reason, "Error", 1, Clock.T0.AddSeconds(-5), restarts));

    public static PodObservation CrashLooping(string name, long revision) => Waiting(name, revision, "CrashLoopBackOff");

    public static PodObservation OomKilled(string name, long revision, DateTimeOffset finishedAt) =>
        Pod(name, revision, true, new ContainerObservation("app", true, true, null, "OOMKilled", 137, finishedAt, 4));

    public static PodObservation RunningNotReady(string name, long revision, DateTimeOffset notReadySince) =>
        Pod(name, revision, false, new ContainerObservation("app", true, false, null, null, null, null, 0)) with { NotReadySince = notReadySince };
}
