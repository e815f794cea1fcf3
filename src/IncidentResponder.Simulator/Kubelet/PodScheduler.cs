using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Kubelet;

/// <summary>
/// The default-scheduler, reduced to what a simulation needs: bind each unscheduled pod to the ready node running the
/// fewest pods (ties by name), honouring spec.nodeSelector. The real scheduler binds through pods/binding, which sets
/// spec.nodeName and the PodScheduled condition; here that is one update plus one status update.
/// </summary>
public static class PodScheduler
{
    public const string Component = "default-scheduler";

    public static IReadOnlyList<ControllerWrite> Schedule(V1Pod pod, IReadOnlyList<V1Node> nodes, IReadOnlyDictionary<string, int> podsPerNode, DateTimeOffset now)
    {
        var reference = KubeObjects.Reference("v1", "Pod", pod.Metadata);
        var candidates = nodes
            .Where(node => node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true && node.Spec?.Unschedulable != true)
            .Where(node => pod.Spec.NodeSelector is not { } selector
                || selector.All(term => node.Metadata.Labels is { } labels && labels.TryGetValue(term.Key, out var value) && value == term.Value))
            .OrderBy(node => podsPerNode.TryGetValue(node.Metadata.Name, out var count) ? count : 0)
            .ThenBy(node => node.Metadata.Name, StringComparer.Ordinal)
            .ToList();

        if (candidates.Count == 0)
        {
            if (PodConditions.Find(pod, "PodScheduled") is { Status: "False" })
            {
                return []; // Already reported; the real scheduler retries quietly with back-off.
            }

            var message = $"0/{nodes.Count} nodes are available: {nodes.Count} node(s) didn't match Pod's node affinity/selector. preemption: 0/{nodes.Count} nodes are available: {nodes.Count} Preemption is not helpful for scheduling.";
            return [Unschedulable(pod, message, now), new RecordEvent(new EventSpec(reference, "Warning", "FailedScheduling", message, Component, null, now))];
        }

        var node = candidates[0].Metadata.Name;
        var bound = KubeObjects.Clone(pod);
        bound.Spec.NodeName = node;
        var withCondition = KubeObjects.Clone(bound);
        withCondition.Status ??= new V1PodStatus();
        withCondition.Status.Phase ??= "Pending";
        withCondition.Status.Conditions =
        [
            .. (withCondition.Status.Conditions ?? []).Where(c => c.Type != "PodScheduled"),
            new V1PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = KubeObjects.Seconds(now) },
        ];
        return
        [
            new UpdateObject(BuiltinResources.Pods, bound),
            new UpdateStatus(BuiltinResources.Pods, withCondition),
            new RecordEvent(new EventSpec(reference, "Normal", "Scheduled",
                $"Successfully assigned {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} to {node}", Component, null, now)),
        ];
    }

    private static UpdateStatus Unschedulable(V1Pod pod, string message, DateTimeOffset now)
    {
        var updated = KubeObjects.Clone(pod);
        updated.Status ??= new V1PodStatus();
        updated.Status.Phase = "Pending";
        updated.Status.Conditions =
        [
            new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", LastTransitionTime = KubeObjects.Seconds(now), Message = message },
        ];
        return new UpdateStatus(BuiltinResources.Pods, updated);
    }
}
