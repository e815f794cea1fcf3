using System.Text.Json.Nodes;
using IncidentResponder.Core.Observations;
using IncidentResponder.Runtime.Informers;
using k8s;
using k8s.Models;

namespace IncidentResponder.Operator.Observation;

/// <summary>
/// StatefulSets and DaemonSets projected into the same shape as Deployments, and their ControllerRevisions into the
/// same shape as ReplicaSets, so the core judges every kind by one set of rules. What differs is said here: which
/// status fields count replicas, which label ties a pod to its revision, and where a revision keeps its template.
/// </summary>
public static class WorkloadProjections
{
    /// <summary>The label on a StatefulSet's or DaemonSet's pods naming their ControllerRevision.</summary>
    public const string RevisionHashLabel = "controller-revision-hash";

    public static CachedDeployment StatefulSet(V1StatefulSet set)
    {
        var meta = set.Metadata;
        var status = set.Status;
        var replicas = set.Spec?.Replicas ?? 1;
        var observation = new DeploymentObservation(
            meta.NamespaceProperty, meta.Name, meta.Uid ?? string.Empty, meta.Generation ?? 0, status?.ObservedGeneration ?? 0,
            replicas, status?.ReadyReplicas ?? 0, status?.AvailableReplicas ?? 0, status?.UpdatedReplicas ?? 0,
            Math.Max(0, replicas - (status?.AvailableReplicas ?? 0)), false, Projections.Kept(meta.Annotations),
            ValueList<DeploymentCondition>.Empty, null, TemplateSummaries.From(set.Spec?.Template))
        {
            Kind = WorkloadKinds.StatefulSet,
            UpdateStrategy = set.Spec?.UpdateStrategy?.Type ?? "RollingUpdate",
            HasVolumeClaimTemplates = set.Spec?.VolumeClaimTemplates is { Count: > 0 },
        };
        return new CachedDeployment(meta.NamespaceProperty, meta.Name, meta.ResourceVersion, Labels(meta), observation, status?.UpdateRevision);
    }

    public static CachedDeployment DaemonSet(V1DaemonSet set)
    {
        var meta = set.Metadata;
        var status = set.Status;
        var observation = new DeploymentObservation(
            meta.NamespaceProperty, meta.Name, meta.Uid ?? string.Empty, meta.Generation ?? 0, status?.ObservedGeneration ?? 0,
            status?.DesiredNumberScheduled ?? 0, status?.NumberReady ?? 0, status?.NumberAvailable ?? 0, status?.UpdatedNumberScheduled ?? 0,
            status?.NumberUnavailable ?? 0, false, Projections.Kept(meta.Annotations),
            ValueList<DeploymentCondition>.Empty, null, TemplateSummaries.From(set.Spec?.Template))
        {
            Kind = WorkloadKinds.DaemonSet,
            UpdateStrategy = set.Spec?.UpdateStrategy?.Type ?? "RollingUpdate",
        };
        return new CachedDeployment(meta.NamespaceProperty, meta.Name, meta.ResourceVersion, Labels(meta), observation);
    }

    /// <summary>
    /// One revision of a StatefulSet or DaemonSet. Its pods carry the revision's name (StatefulSet) or its hash label
    /// (DaemonSet) as controller-revision-hash; the replica counts are filled in from the pods by the observer.
    /// </summary>
    public static CachedReplicaSet ControllerRevision(V1ControllerRevision revision)
    {
        var meta = revision.Metadata;
        var observation = new ReplicaSetObservation(
            meta.Name,
            revision.Revision ?? 0,
            // A StatefulSet's pods name the revision itself; a DaemonSet's carry the revision's hash label.
            (meta.OwnerReferences ?? []).Any(o => o.Controller == true && o.Kind == WorkloadKinds.StatefulSet)
                ? meta.Name
                : Projections.Value(meta.Labels, RevisionHashLabel) ?? meta.Name,
            Projections.Utc(meta.CreationTimestamp) ?? DateTimeOffset.UnixEpoch,
            0, 0, 0,
            TemplateSummaries.From(TemplateOf(revision)));
        return new CachedReplicaSet(meta.NamespaceProperty, meta.Name, meta.ResourceVersion, OwnerRef.From(meta.OwnerReferences), observation);
    }

    /// <summary>
    /// The pod template a revision puts back: its data is the patch <c>{"spec":{"template":{...,"$patch":"replace"}}}</c>
    /// (what <c>kubectl rollout undo</c> sends); the template is that patch without the directive.
    /// </summary>
    public static V1PodTemplateSpec? TemplateOf(V1ControllerRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        if (revision.Data is null || JsonNode.Parse(KubernetesJson.Serialize(revision.Data))?["spec"]?["template"] is not JsonObject template)
        {
            return null;
        }

        var copy = template.DeepClone().AsObject();
        copy.Remove("$patch");
        return KubernetesJson.Deserialize<V1PodTemplateSpec>(copy.ToJsonString());
    }

    private static Dictionary<string, string> Labels(V1ObjectMeta meta) =>
        new(meta.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
}
