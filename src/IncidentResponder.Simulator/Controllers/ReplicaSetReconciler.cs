using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>
/// The replicaset controller's sync as a pure function (<c>pkg/controller/replicaset</c>): create or delete pods to
/// match spec.replicas, then report replicas, fullyLabeledReplicas, readyReplicas, availableReplicas.
/// </summary>
public static class ReplicaSetReconciler
{
    public const string Component = "replicaset-controller";

    /// <summary>The real controller creates at most this many pods per sync (<c>BurstReplicas</c>).</summary>
    public const int BurstReplicas = 500;

    /// <param name="replicaSet">The ReplicaSet.</param>
    /// <param name="namespacePods">All pods in its namespace.</param>
    /// <param name="now">The time.</param>
    /// <param name="nameSuffix">Produces the 5 random characters of each new pod name.</param>
    public static SyncResult Reconcile(V1ReplicaSet replicaSet, IReadOnlyList<V1Pod> namespacePods, DateTimeOffset now, Func<string> nameSuffix)
    {
        var writes = new List<ControllerWrite>();
        var active = namespacePods
            .Where(pod => KubeObjects.IsControlledBy(pod.Metadata, replicaSet.Metadata.Uid) && PodConditions.IsActive(pod))
            .ToList();

        if (replicaSet.Metadata.DeletionTimestamp is null)
        {
            var diff = active.Count - DeploymentRules.Replicas(replicaSet);
            if (diff < 0)
            {
                for (var i = 0; i < Math.Min(-diff, BurstReplicas); i++)
                {
                    var pod = NewPod(replicaSet, nameSuffix());
                    writes.Add(new CreateObject(BuiltinResources.Pods, pod));
                    writes.Add(Event(replicaSet, "Normal", "SuccessfulCreate", $"Created pod: {pod.Metadata.Name}", now));
                }
            }
            else if (diff > 0)
            {
                foreach (var pod in PodsToDelete(active, diff))
                {
                    writes.Add(new DeleteObject(BuiltinResources.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name));
                    writes.Add(Event(replicaSet, "Normal", "SuccessfulDelete", $"Deleted pod: {pod.Metadata.Name}", now));
                }
            }
        }

        var status = CalculateStatus(replicaSet, active, now);
        if (!JsonNode.DeepEquals(KubeObjects.ToJson(status), KubeObjects.ToJson(replicaSet.Status ?? new V1ReplicaSetStatus())))
        {
            var updated = KubeObjects.Clone(replicaSet);
            updated.Status = status;
            writes.Add(new UpdateStatus(BuiltinResources.ReplicaSets, updated));
        }

        return new SyncResult(writes, AvailabilityRequeue(replicaSet, active, now));
    }

    public static V1ReplicaSetStatus CalculateStatus(V1ReplicaSet replicaSet, IReadOnlyList<V1Pod> activePods, DateTimeOffset now)
    {
        var minReady = replicaSet.Spec.MinReadySeconds ?? 0;
        var templateLabels = replicaSet.Spec.Template?.Metadata?.Labels ?? new Dictionary<string, string>();
        return new V1ReplicaSetStatus
        {
            Replicas = activePods.Count,
            FullyLabeledReplicas = activePods.Count(pod => templateLabels.All(label =>
                pod.Metadata.Labels is { } labels && labels.TryGetValue(label.Key, out var value) && value == label.Value)),
            ReadyReplicas = activePods.Count(PodConditions.IsReady),
            AvailableReplicas = activePods.Count(pod => PodConditions.IsAvailable(pod, minReady, now)),
            ObservedGeneration = replicaSet.Metadata.Generation,
            Conditions = replicaSet.Status?.Conditions,
        };
    }

    /// <summary>
    /// The order in which surplus pods go (<c>controller.ActivePods</c> Less): unscheduled, then pending, then not
    /// ready, then ready for the shortest time, then most restarts, then newest.
    /// </summary>
    public static IEnumerable<V1Pod> PodsToDelete(IEnumerable<V1Pod> active, int count) =>
        active
            .OrderBy(pod => string.IsNullOrEmpty(pod.Spec?.NodeName) ? 0 : 1)
            .ThenBy(pod => pod.Status?.Phase switch { "Pending" => 0, "Running" => 2, _ => 1 })
            .ThenBy(pod => PodConditions.IsReady(pod) ? 1 : 0)
            .ThenByDescending(pod => PodConditions.IsReady(pod) ? ReadySince(pod) : DateTimeOffset.MinValue)
            .ThenByDescending(PodConditions.RestartCount)
            .ThenByDescending(pod => KubeObjects.CreatedAt(pod.Metadata))
            .Take(count);

    public static V1Pod NewPod(V1ReplicaSet replicaSet, string suffix)
    {
        var template = KubeObjects.Clone(replicaSet.Spec.Template);
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = replicaSet.Metadata.Name + "-",
                Name = $"{replicaSet.Metadata.Name}-{suffix}",
                NamespaceProperty = replicaSet.Metadata.NamespaceProperty,
                Labels = template.Metadata?.Labels,
                Annotations = template.Metadata?.Annotations,
                Finalizers = template.Metadata?.Finalizers,
                OwnerReferences = [KubeObjects.ControllerReference("apps/v1", "ReplicaSet", replicaSet.Metadata)],
            },
            Spec = template.Spec,
        };
    }

    private static DateTimeOffset ReadySince(V1Pod pod) =>
        PodConditions.Find(pod, "Ready")?.LastTransitionTime is { } since ? KubeObjects.Utc(since) : DateTimeOffset.MinValue;

    /// <summary>Pods that are ready but not yet available become available later without any write: look again then.</summary>
    private static TimeSpan? AvailabilityRequeue(V1ReplicaSet replicaSet, IEnumerable<V1Pod> active, DateTimeOffset now)
    {
        var minReady = replicaSet.Spec.MinReadySeconds ?? 0;
        if (minReady == 0)
        {
            return null;
        }

        var waits = active
            .Where(pod => PodConditions.IsReady(pod) && !PodConditions.IsAvailable(pod, minReady, now))
            .Select(pod => ReadySince(pod).AddSeconds(minReady) - now + TimeSpan.FromSeconds(1))
            .ToList();
        return waits.Count == 0 ? null : waits.Min() < TimeSpan.Zero ? TimeSpan.Zero : waits.Min();
    }

    private static RecordEvent Event(V1ReplicaSet replicaSet, string type, string reason, string message, DateTimeOffset now) =>
        new(new EventSpec(KubeObjects.Reference("apps/v1", "ReplicaSet", replicaSet.Metadata), type, reason, message, Component, null, now));
}
