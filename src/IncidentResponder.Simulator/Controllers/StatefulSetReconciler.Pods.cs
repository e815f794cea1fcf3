using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>The StatefulSet's pods and claims (stateful_set_utils.go), and the status it reports.</summary>
public sealed partial class StatefulSetReconciler
{
    /// <summary>The claim a pod's volume template names: <c>&lt;template&gt;-&lt;set&gt;-&lt;ordinal&gt;</c>.</summary>
    public static string ClaimName(string template, string set, int ordinal) =>
        string.Create(CultureInfo.InvariantCulture, $"{template}-{set}-{ordinal}");

    private void CreatePod(int ordinal, ControllerRevisions.Revision revision)
    {
        var template = RevisionTemplate(revision);
        var name = string.Create(CultureInfo.InvariantCulture, $"{Name}-{ordinal}");
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [PodNameLabel] = name,
            [PodIndexLabel] = ordinal.ToString(CultureInfo.InvariantCulture),
            [ControllerRevisions.PodRevisionLabel] = revision.Name,
        };
        var spec = template.Spec;
        spec.Hostname = name;
        spec.Subdomain = _set.Spec.ServiceName;
        foreach (var claim in _set.Spec.VolumeClaimTemplates ?? [])
        {
            var claimName = ClaimName(claim.Metadata.Name, Name, ordinal);
            CreateClaimIfMissing(claim, claimName, name);
            spec.Volumes = [.. (spec.Volumes ?? []).Where(volume => volume.Name != claim.Metadata.Name),
                new V1Volume { Name = claim.Metadata.Name, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claimName } }];
        }

        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = _set.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = template.Metadata?.Annotations,
                OwnerReferences = [KubeObjects.ControllerReference("apps/v1", "StatefulSet", _set.Metadata)],
            },
            Spec = spec,
        };
        _writes.Add(new CreateObject(BuiltinResources.Pods, pod));
        Event("Normal", "SuccessfulCreate", $"create Pod {name} in StatefulSet {Name} successful");
    }

    /// <summary>The template a revision stores (its replace patch), so pods below the partition keep the current one.</summary>
    private V1PodTemplateSpec RevisionTemplate(ControllerRevisions.Revision revision)
    {
        if (revision.Data["spec"]?["template"] is JsonObject stored)
        {
            var copy = stored.DeepClone().AsObject();
            copy.Remove("$patch");
            return KubeObjects.ToTyped<V1PodTemplateSpec>(copy);
        }

        return KubeObjects.Clone(_set.Spec.Template);
    }

    /// <summary>Claims are created once and kept (retention Retain); the simulator binds them at once.</summary>
    private void CreateClaimIfMissing(V1PersistentVolumeClaim template, string claimName, string podName)
    {
        if (_claims.Any(claim => claim["metadata"]?["name"]?.GetValue<string>() == claimName))
        {
            return;
        }

        var labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in _set.Spec.Selector?.MatchLabels ?? new Dictionary<string, string>())
        {
            labels[key] = value;
        }

        var claim = new V1PersistentVolumeClaim
        {
            ApiVersion = "v1",
            Kind = "PersistentVolumeClaim",
            Metadata = new V1ObjectMeta { Name = claimName, NamespaceProperty = _set.Metadata.NamespaceProperty, Labels = labels, Annotations = template.Metadata.Annotations },
            Spec = KubeObjects.Clone(template.Spec),
        };
        claim.Spec.VolumeMode ??= "Filesystem";
        claim.Spec.VolumeName = "pvc-" + PodTemplateHash.SafeEncode(claimName).ToLowerInvariant();
        var bound = KubeObjects.Clone(claim);
        bound.Status = new V1PersistentVolumeClaimStatus
        {
            Phase = "Bound",
            AccessModes = claim.Spec.AccessModes,
            Capacity = claim.Spec.Resources?.Requests is { } requests && requests.TryGetValue("storage", out var storage)
                ? new Dictionary<string, ResourceQuantity> { ["storage"] = storage }
                : null,
        };
        _writes.Add(new CreateObject(BuiltinResources.PersistentVolumeClaims, claim));
        _writes.Add(new UpdateStatus(BuiltinResources.PersistentVolumeClaims, bound));
        Event("Normal", "SuccessfulCreate", $"create Claim {claimName} Pod {podName} in StatefulSet {Name} success");
    }

    private void DeletePod(V1Pod pod, string why)
    {
        _writes.Add(new DeleteObject(BuiltinResources.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name));
        Event("Normal", "SuccessfulDelete", $"{why} Pod {pod.Metadata.Name} in StatefulSet {Name} successful");
    }

    /// <summary>Counts as upstream does; a rolling update whose pods are all updated and ready makes the update revision current.</summary>
    private void WriteStatus(IReadOnlyList<V1Pod> pods, string currentRevision, string updateRevision)
    {
        var live = pods.Where(pod => pod.Metadata.DeletionTimestamp is null).ToList();
        var status = new V1StatefulSetStatus
        {
            ObservedGeneration = _set.Metadata.Generation,
            Replicas = pods.Count,
            ReadyReplicas = pods.Count(IsRunningAndReady),
            AvailableReplicas = pods.Count(pod => IsRunningAndReady(pod) && IsAvailable(pod)),
            CurrentReplicas = live.Count(pod => PodRevision(pod) == currentRevision),
            UpdatedReplicas = live.Count(pod => PodRevision(pod) == updateRevision),
            CurrentRevision = currentRevision,
            UpdateRevision = updateRevision,
            CollisionCount = _set.Status?.CollisionCount ?? 0,
        };
        if (RollingUpdate && status.UpdatedReplicas == status.Replicas && status.ReadyReplicas == status.Replicas)
        {
            status.CurrentRevision = status.UpdateRevision;
            status.CurrentReplicas = status.UpdatedReplicas;
        }

        if (JsonNode.DeepEquals(KubeObjects.ToJson(status), KubeObjects.ToJson(_set.Status ?? new V1StatefulSetStatus())))
        {
            return;
        }

        var updated = KubeObjects.Clone(_set);
        updated.Status = status;
        _writes.Add(new UpdateStatus(BuiltinResources.StatefulSets, updated));
    }

    /// <summary>Ready pods become available after minReadySeconds without any write: look again then.</summary>
    private TimeSpan? AvailabilityRequeue(IReadOnlyList<V1Pod> namespacePods)
    {
        var minReady = _set.Spec.MinReadySeconds ?? 0;
        if (minReady == 0)
        {
            return null;
        }

        var waits = namespacePods
            .Where(pod => KubeObjects.IsControlledBy(pod.Metadata, _set.Metadata.Uid) && PodConditions.IsReady(pod) && !IsAvailable(pod))
            .Select(pod => PodConditions.Find(pod, "Ready")?.LastTransitionTime is { } since
                ? KubeObjects.Utc(since).AddSeconds(minReady) - _now + TimeSpan.FromSeconds(1)
                : TimeSpan.FromSeconds(1))
            .ToList();
        return waits.Count == 0 ? null : waits.Min() < TimeSpan.Zero ? TimeSpan.Zero : waits.Min();
    }
}
