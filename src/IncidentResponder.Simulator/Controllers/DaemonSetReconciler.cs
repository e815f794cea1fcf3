using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>
/// The daemonset controller's sync as a pure function (<c>pkg/controller/daemon</c>): one pod per node that is Ready,
/// matches <c>nodeSelector</c> and carries no NoSchedule/NoExecute taint the template does not tolerate. A cordoned
/// node still runs daemons, because upstream adds the <c>node.kubernetes.io/unschedulable</c> toleration to every
/// daemon pod. Pods are bound to their node directly (upstream sets a node affinity and lets the scheduler bind; the
/// affinity is written too, the simulated scheduler does not read it). Revisions are ControllerRevisions named
/// <c>&lt;set&gt;-&lt;pod-template-hash&gt;</c>, and pods carry that hash as <c>controller-revision-hash</c>.
/// </summary>
public sealed partial class DaemonSetReconciler
{
    public const string Component = "daemonset-controller";
    public const string TemplateGenerationLabel = "pod-template-generation";

    private readonly V1DaemonSet _set;
    private readonly JsonObject _template;
    private readonly DateTimeOffset _now;
    private readonly Func<string> _nameSuffix;
    private readonly List<ControllerWrite> _writes = [];

    private DaemonSetReconciler(JsonObject stored, DateTimeOffset now, Func<string> nameSuffix)
    {
        _set = KubeObjects.ToTyped<V1DaemonSet>(stored);
        _template = stored["spec"]?["template"] as JsonObject ?? KubeObjects.ToJson(_set.Spec.Template);
        _now = now;
        _nameSuffix = nameSuffix;
    }

    private string Name => _set.Metadata.Name;

    private int MinReady => _set.Spec.MinReadySeconds ?? 0;

    /// <param name="set">The DaemonSet as stored (its template's JSON is the revision data).</param>
    /// <param name="nodes">Every node.</param>
    /// <param name="namespacePods">All pods of its namespace.</param>
    /// <param name="namespaceRevisions">All ControllerRevisions of its namespace, as stored.</param>
    /// <param name="now">The time.</param>
    /// <param name="nameSuffix">The 5 random characters of each new pod's name.</param>
    public static SyncResult Reconcile(JsonObject set, IReadOnlyList<V1Node> nodes, IReadOnlyList<V1Pod> namespacePods, IReadOnlyList<JsonObject> namespaceRevisions, DateTimeOffset now, Func<string> nameSuffix)
    {
        var sync = new DaemonSetReconciler(set, now, nameSuffix);
        return new SyncResult(sync.Run(nodes, namespacePods, namespaceRevisions), sync.AvailabilityRequeue(namespacePods));
    }

    /// <summary>Whether a daemon of this template belongs on the node.</summary>
    public static bool ShouldRun(V1Node node, V1PodTemplateSpec template)
    {
        if (node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") != true)
        {
            return false;
        }

        if (template.Spec.NodeSelector is { } selector
            && !selector.All(term => node.Metadata.Labels is { } labels && labels.TryGetValue(term.Key, out var value) && value == term.Value))
        {
            return false;
        }

        var tolerations = template.Spec.Tolerations ?? [];
        return (node.Spec?.Taints ?? [])
            .Where(taint => taint.Effect is "NoSchedule" or "NoExecute" && taint.Key != "node.kubernetes.io/unschedulable")
            .All(taint => tolerations.Any(toleration => Tolerates(toleration, taint)));
    }

    private static bool Tolerates(V1Toleration toleration, V1Taint taint) =>
        (string.IsNullOrEmpty(toleration.Effect) || toleration.Effect == taint.Effect)
        && (string.IsNullOrEmpty(toleration.Key) ? toleration.OperatorProperty == "Exists" : toleration.Key == taint.Key)
        && (toleration.OperatorProperty == "Exists" || toleration.Value == taint.Value);

    private List<ControllerWrite> Run(IReadOnlyList<V1Node> nodes, IReadOnlyList<V1Pod> namespacePods, IReadOnlyList<JsonObject> namespaceRevisions)
    {
        var history = ControllerRevisions.Owned(namespaceRevisions, _set.Metadata.Uid);
        var hash = PodTemplateHash.Compute(_set.Spec.Template, _set.Status?.CollisionCount);
        UpdateRevision(history, hash);
        var owned = namespacePods.Where(pod => KubeObjects.IsControlledBy(pod.Metadata, _set.Metadata.Uid)).ToList();
        var eligible = nodes.Where(node => ShouldRun(node, _set.Spec.Template)).Select(node => node.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var byNode = owned
            .Where(pod => pod.Metadata.DeletionTimestamp is null && !string.IsNullOrEmpty(pod.Spec.NodeName))
            .GroupBy(pod => pod.Spec.NodeName, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.OrderBy(pod => KubeObjects.CreatedAt(pod.Metadata)).ToList(), StringComparer.Ordinal);

        if (_set.Metadata.DeletionTimestamp is null)
        {
            Manage(nodes, eligible, byNode, hash);
            if ((_set.Spec.UpdateStrategy?.Type ?? "RollingUpdate") == "RollingUpdate")
            {
                RollingUpdate(eligible, byNode, hash);
            }
        }

        var live = new HashSet<string>(owned.Select(pod => ControllerRevisions.Name(Name, PodHash(pod))), StringComparer.Ordinal) { ControllerRevisions.Name(Name, hash) };
        _writes.AddRange(ControllerRevisions.Truncate(history, live, _set.Spec.RevisionHistoryLimit ?? 10, _set.Metadata.NamespaceProperty));
        WriteStatus(nodes, eligible, byNode, hash);
        return _writes;
    }

    /// <summary>The live template's revision: created, or an equal older one renumbered to the top (<c>constructHistory</c>).</summary>
    private void UpdateRevision(List<ControllerRevisions.Revision> history, string hash)
    {
        var data = ControllerRevisions.TemplatePatch(_template);
        var equal = history.LastOrDefault(revision => JsonNode.DeepEquals(revision.Data, data));
        var next = ControllerRevisions.NextNumber(history);
        if (equal is null)
        {
            var created = ControllerRevisions.New("DaemonSet", _set.Metadata, _set.Spec.Template.Metadata?.Labels, ControllerRevisions.PodRevisionLabel, hash, data, next);
            _writes.Add(new CreateObject(BuiltinResources.ControllerRevisions, created));
        }
        else if (equal.Number != history[^1].Number)
        {
            _writes.Add(ControllerRevisions.Renumber(equal, next));
        }
    }

    /// <summary>Creates the missing daemons, deletes extra, failed and misplaced ones (<c>manage</c>).</summary>
    private void Manage(IReadOnlyList<V1Node> nodes, HashSet<string> eligible, Dictionary<string, List<V1Pod>> byNode, string hash)
    {
        foreach (var node in nodes.Select(n => n.Metadata.Name).OrderBy(n => n, StringComparer.Ordinal))
        {
            var pods = byNode.TryGetValue(node, out var found) ? found : [];
            if (!eligible.Contains(node))
            {
                pods.ForEach(DeletePod);
                continue;
            }

            var failed = pods.Where(pod => pod.Status?.Phase == "Failed").ToList();
            failed.ForEach(DeletePod);
            var running = pods.Except(failed).ToList();
            if (running.Count == 0 && failed.Count == 0)
            {
                CreatePod(node, hash);
            }
            else if (running.Count > 1 && running.All(pod => PodHash(pod) == hash))
            {
                running.Skip(1).ToList().ForEach(DeletePod);
            }
        }
    }

    private static string PodHash(V1Pod pod) =>
        pod.Metadata.Labels is { } labels && labels.TryGetValue(ControllerRevisions.PodRevisionLabel, out var hash) ? hash : string.Empty;

    private bool IsAvailable(V1Pod pod) => PodConditions.IsAvailable(pod, MinReady, _now);

    private void Event(string type, string reason, string message) =>
        _writes.Add(new RecordEvent(new EventSpec(KubeObjects.Reference("apps/v1", "DaemonSet", _set.Metadata), type, reason, message, Component, null, _now)));
}
