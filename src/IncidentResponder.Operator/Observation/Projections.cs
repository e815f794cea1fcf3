using System.Globalization;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Observations;
using IncidentResponder.Runtime.Informers;
using k8s.Models;

namespace IncidentResponder.Operator.Observation;

/// <summary>
/// Informer projections: each turns a full API object into the few fields the operator reads, once, as it arrives.
/// Thousands of pods then cost a few hundred bytes each instead of their whole spec and managed fields.
/// </summary>
public static class Projections
{
    /// <summary>The only Deployment annotations anything reads: the revision, the opt-out and the action marker.</summary>
    private static readonly string[] KeptAnnotations =
        [DeploymentObservation.RevisionAnnotation, WellKnown.PausedAnnotation, WellKnown.ActionAnnotation, Core.GitOps.ArgoCdTrackingId.Annotation];

    public static CachedDeployment Deployment(V1Deployment deployment)
    {
        var meta = deployment.Metadata;
        var status = deployment.Status;
        var annotations = Kept(meta.Annotations);
        var conditions = (status?.Conditions ?? []).Select(c => new DeploymentCondition(
            c.Type, c.Status, c.Reason, c.Message, Utc(c.LastTransitionTime)));
        var observation = new DeploymentObservation(
            meta.NamespaceProperty,
            meta.Name,
            meta.Uid ?? string.Empty,
            meta.Generation ?? 0,
            status?.ObservedGeneration ?? 0,
            deployment.Spec?.Replicas ?? 1,
            status?.ReadyReplicas ?? 0,
            status?.AvailableReplicas ?? 0,
            status?.UpdatedReplicas ?? 0,
            status?.UnavailableReplicas ?? 0,
            deployment.Spec?.Paused ?? false,
            annotations,
            new ValueList<DeploymentCondition>(conditions),
            Revision(meta.Annotations),
            TemplateSummaries.From(deployment.Spec?.Template));
        return new CachedDeployment(meta.NamespaceProperty, meta.Name, meta.ResourceVersion,
            new Dictionary<string, string>(meta.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal), observation);
    }

    /// <summary>The annotations anything reads, out of a workload's.</summary>
    internal static Dictionary<string, string> Kept(IDictionary<string, string>? annotations) =>
        KeptAnnotations
            .Where(key => annotations?.ContainsKey(key) == true)
            .ToDictionary(key => key, key => annotations![key], StringComparer.Ordinal);

    public static CachedReplicaSet ReplicaSet(V1ReplicaSet replicaSet)
    {
        var meta = replicaSet.Metadata;
        var observation = new ReplicaSetObservation(
            meta.Name,
            Revision(meta.Annotations) ?? 0,
            Value(meta.Labels, TemplateFingerprint.PodTemplateHashLabel) ?? string.Empty,
            Utc(meta.CreationTimestamp) ?? DateTimeOffset.UnixEpoch,
            replicaSet.Status?.Replicas ?? 0,
            replicaSet.Status?.ReadyReplicas ?? 0,
            replicaSet.Status?.AvailableReplicas ?? 0,
            TemplateSummaries.From(replicaSet.Spec?.Template),
            Timestamp(Value(meta.Annotations, WellKnown.AvailableSinceAnnotation)));
        return new CachedReplicaSet(meta.NamespaceProperty, meta.Name, meta.ResourceVersion, OwnerRef.From(meta.OwnerReferences), observation);
    }

    /// <summary>
    /// The pod projection, sharing the strings that repeat across pods of a cluster (namespaces, nodes, phases, owner
    /// kinds, container names and reasons) through <paramref name="pool"/>: at 150,000 pods one copy each instead of
    /// one per pod. Names and UIDs that grow with every new ReplicaSet stay out of it, so the pool stays bounded.
    /// </summary>
    public static Func<V1Pod, CachedPod> Pod(StringPool pool) => pod => Pod(pod, pool);

    public static CachedPod Pod(V1Pod pod, StringPool? pool = null)
    {
        var meta = pod.Metadata;
        var ready = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        var owners = OwnerRef.From(meta.OwnerReferences, pool);
        var observation = new PodObservation(
            meta.Name,
            owners.FirstOrDefault(o => o.IsController && o.Kind == "ReplicaSet")?.Name,
            // A StatefulSet's or DaemonSet's pod names its revision by controller-revision-hash instead.
            Value(meta.Labels, TemplateFingerprint.PodTemplateHashLabel) ?? Value(meta.Labels, WorkloadProjections.RevisionHashLabel),
            Utc(meta.CreationTimestamp) ?? DateTimeOffset.UnixEpoch,
            StringPool.Share(pool, pod.Status?.Phase ?? "Pending"),
            ready?.Status == "True",
            ready?.Status == "False" ? Utc(ready.LastTransitionTime) : null,
            new ValueList<ContainerObservation>((pod.Status?.ContainerStatuses ?? []).Select(status => Container(status, pool))));
        return new CachedPod(StringPool.Share(pool, meta.NamespaceProperty), meta.Name, meta.ResourceVersion, owners,
            meta.DeletionTimestamp is not null, observation, meta.Uid ?? string.Empty, StringPool.ShareNullable(pool, pod.Spec?.NodeName));
    }

    private static ContainerObservation Container(V1ContainerStatus status, StringPool? pool)
    {
        // A container killed and not yet restarted shows the termination in state, not lastState.
        var terminated = status.LastState?.Terminated ?? status.State?.Terminated;
        return new ContainerObservation(
            StringPool.Share(pool, status.Name),
            status.State?.Running is not null,
            status.Ready,
            StringPool.ShareNullable(pool, status.State?.Waiting?.Reason),
            StringPool.ShareNullable(pool, terminated?.Reason),
            terminated?.ExitCode,
            Utc(terminated?.FinishedAt),
            status.RestartCount);
    }

    /// <summary>A label or annotation value; the generated models type maps as IDictionary, which has no lookup-or-null.</summary>
    public static string? Value(IDictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value) ? value : null;

    private static long? Revision(IDictionary<string, string>? annotations) =>
        annotations?.TryGetValue(DeploymentObservation.RevisionAnnotation, out var text) == true
        && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var revision)
            ? revision
            : null;

    /// <summary>An RFC 3339 annotation value; one a person mistyped is no evidence, not an error.</summary>
    private static DateTimeOffset? Timestamp(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;

    internal static DateTimeOffset? Utc(DateTime? time) =>
        time is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;
}
