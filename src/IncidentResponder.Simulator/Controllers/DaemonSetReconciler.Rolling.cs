using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>The DaemonSet's rolling update (update.go), its pods and its status.</summary>
public sealed partial class DaemonSetReconciler
{
    /// <summary>The tolerations upstream adds to every daemon pod, so daemons stay on nodes under pressure or cordoned.</summary>
    private static readonly (string Key, string Effect)[] DaemonTolerations =
    [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];

    /// <summary>
    /// Without surge: an old pod that is not available goes at once; other old pods go while fewer than
    /// <c>maxUnavailable</c> nodes lack an available daemon. With <c>maxSurge</c>: a new pod starts beside the old one on
    /// up to maxSurge nodes at a time, and the old one goes when the new one is available.
    /// </summary>
    private void RollingUpdate(HashSet<string> eligible, Dictionary<string, List<V1Pod>> byNode, string hash)
    {
        var desired = eligible.Count;
        var rolling = _set.Spec.UpdateStrategy?.RollingUpdate;
        var maxSurge = IntOrPercent.Scale(rolling?.MaxSurge, desired, roundUp: true, defaultValue: 0);
        var maxUnavailable = IntOrPercent.Scale(rolling?.MaxUnavailable, desired, roundUp: true, defaultValue: 1);
        if (maxSurge == 0 && maxUnavailable == 0)
        {
            maxUnavailable = 1;
        }

        var nodes = eligible.Where(byNode.ContainsKey).OrderBy(node => node, StringComparer.Ordinal).ToList();
        if (maxSurge > 0)
        {
            SurgeUpdate(nodes, byNode, hash, maxSurge);
            return;
        }

        var unavailable = eligible.Count(node => !byNode.TryGetValue(node, out var pods) || !pods.Any(IsAvailable));
        var candidates = new List<V1Pod>();
        foreach (var node in nodes)
        {
            foreach (var old in byNode[node].Where(pod => PodHash(pod) != hash))
            {
                if (!IsAvailable(old))
                {
                    DeletePod(old);
                }
                else
                {
                    candidates.Add(old);
                }
            }
        }

        foreach (var old in candidates.Take(Math.Max(0, maxUnavailable - unavailable)))
        {
            DeletePod(old);
        }
    }

    private void SurgeUpdate(List<string> nodes, Dictionary<string, List<V1Pod>> byNode, string hash, int maxSurge)
    {
        var surging = nodes.Count(node => byNode[node].Any(pod => PodHash(pod) == hash) && byNode[node].Any(pod => PodHash(pod) != hash));
        foreach (var node in nodes)
        {
            var pods = byNode[node];
            var updated = pods.FirstOrDefault(pod => PodHash(pod) == hash);
            var old = pods.Where(pod => PodHash(pod) != hash).ToList();
            if (old.Count == 0)
            {
                continue;
            }

            if (updated is not null)
            {
                if (IsAvailable(updated))
                {
                    old.ForEach(DeletePod);
                }
            }
            else if (!old.Any(IsAvailable))
            {
                old.ForEach(DeletePod);
            }
            else if (surging < maxSurge)
            {
                surging++;
                CreatePod(node, hash);
            }
        }
    }

    private void CreatePod(string node, string hash)
    {
        var template = KubeObjects.Clone(_set.Spec.Template);
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [ControllerRevisions.PodRevisionLabel] = hash,
            [TemplateGenerationLabel] = (_set.Metadata.Generation ?? 1).ToString(CultureInfo.InvariantCulture),
        };
        var spec = template.Spec;
        spec.NodeName = node;
        spec.Affinity ??= new V1Affinity();
        spec.Affinity.NodeAffinity = new V1NodeAffinity
        {
            RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
            {
                NodeSelectorTerms = [new V1NodeSelectorTerm { MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = [node] }] }],
            },
        };
        var tolerations = spec.Tolerations?.ToList() ?? [];
        foreach (var (key, effect) in DaemonTolerations)
        {
            if (!tolerations.Any(t => t.Key == key && t.Effect == effect))
            {
                tolerations.Add(new V1Toleration { Key = key, OperatorProperty = "Exists", Effect = effect });
            }
        }

        spec.Tolerations = tolerations;
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = Name + "-",
                Name = $"{Name}-{_nameSuffix()}",
                NamespaceProperty = _set.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = template.Metadata?.Annotations,
                OwnerReferences = [KubeObjects.ControllerReference("apps/v1", "DaemonSet", _set.Metadata)],
            },
            Spec = spec,
        };
        _writes.Add(new CreateObject(BuiltinResources.Pods, pod));
        Event("Normal", "SuccessfulCreate", $"Created pod: {pod.Metadata.Name}");
    }

    private void DeletePod(V1Pod pod)
    {
        _writes.Add(new DeleteObject(BuiltinResources.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name));
        Event("Normal", "SuccessfulDelete", $"Deleted pod: {pod.Metadata.Name}");
    }

    /// <summary>Per node, as upstream counts (<c>updateDaemonSetStatus</c>): a node with a surge pair counts once.</summary>
    private void WriteStatus(IReadOnlyList<V1Node> nodes, HashSet<string> eligible, Dictionary<string, List<V1Pod>> byNode, string hash)
    {
        int desired = eligible.Count, scheduled = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
        foreach (var node in nodes.Select(n => n.Metadata.Name))
        {
            if (!byNode.TryGetValue(node, out var pods) || pods.Count == 0)
            {
                continue;
            }

            if (!eligible.Contains(node))
            {
                misscheduled++;
                continue;
            }

            scheduled++;
            var newest = pods.FirstOrDefault(pod => PodHash(pod) == hash) ?? pods[0];
            if (PodConditions.IsReady(newest))
            {
                ready++;
                available += IsAvailable(newest) ? 1 : 0;
            }

            updated += PodHash(newest) == hash ? 1 : 0;
        }

        var status = new V1DaemonSetStatus
        {
            ObservedGeneration = _set.Metadata.Generation,
            DesiredNumberScheduled = desired,
            CurrentNumberScheduled = scheduled,
            NumberMisscheduled = misscheduled,
            NumberReady = ready,
            NumberAvailable = available,
            NumberUnavailable = desired - available,
            UpdatedNumberScheduled = updated,
            CollisionCount = _set.Status?.CollisionCount,
        };
        if (JsonNode.DeepEquals(KubeObjects.ToJson(status), KubeObjects.ToJson(_set.Status ?? new V1DaemonSetStatus())))
        {
            return;
        }

        var copy = KubeObjects.Clone(_set);
        copy.Status = status;
        _writes.Add(new UpdateStatus(BuiltinResources.DaemonSets, copy));
    }

    private TimeSpan? AvailabilityRequeue(IReadOnlyList<V1Pod> namespacePods)
    {
        if (MinReady == 0)
        {
            return null;
        }

        var waiting = namespacePods.Any(pod => KubeObjects.IsControlledBy(pod.Metadata, _set.Metadata.Uid) && PodConditions.IsReady(pod) && !IsAvailable(pod));
        return waiting ? TimeSpan.FromSeconds(1) : null;
    }
}
