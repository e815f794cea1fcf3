using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>
/// The statefulset controller's sync as a pure function (<c>pkg/controller/statefulset</c>, stateful_set_control.go):
/// stable pods <c>&lt;set&gt;-&lt;ordinal&gt;</c>, each revision a ControllerRevision. Under <c>OrderedReady</c> it
/// creates one pod at a time and stops at the first pod that is not Running and Ready, before it reaches the update
/// step; so a pod crash-looping on a bad revision is never replaced by a revert until someone deletes it (the known
/// upstream behaviour, kubernetes/kubernetes#67250). <c>Parallel</c> creates and deletes without waiting. Updates go
/// in reverse ordinal order down to <c>partition</c>, one pod at a time (<c>maxUnavailable</c> is alpha upstream and
/// not emulated); <c>OnDelete</c> only gives re-created pods the update revision.
/// </summary>
public sealed partial class StatefulSetReconciler
{
    public const string Component = "statefulset-controller";
    public const string PodNameLabel = "statefulset.kubernetes.io/pod-name";
    public const string PodIndexLabel = "apps.kubernetes.io/pod-index";

    private readonly V1StatefulSet _set;
    private readonly DateTimeOffset _now;
    private readonly List<ControllerWrite> _writes = [];
    private readonly IReadOnlyList<JsonObject> _claims;
    private readonly JsonObject _template;

    private StatefulSetReconciler(JsonObject stored, IReadOnlyList<JsonObject> namespaceClaims, DateTimeOffset now)
    {
        _set = KubeObjects.ToTyped<V1StatefulSet>(stored);
        _template = stored["spec"]?["template"] as JsonObject ?? KubeObjects.ToJson(_set.Spec.Template);
        _claims = namespaceClaims;
        _now = now;
    }

    private string Name => _set.Metadata.Name;

    private bool Monotonic => _set.Spec.PodManagementPolicy != "Parallel";

    private int Partition => _set.Spec.UpdateStrategy?.RollingUpdate?.Partition ?? 0;

    private bool RollingUpdate => (_set.Spec.UpdateStrategy?.Type ?? "RollingUpdate") == "RollingUpdate";

    /// <param name="set">The StatefulSet as stored: its template's JSON is the revision data, field for field as kubectl compares it.</param>
    /// <param name="namespacePods">All pods of its namespace.</param>
    /// <param name="namespaceRevisions">All ControllerRevisions of its namespace, as stored.</param>
    /// <param name="namespaceClaims">All PersistentVolumeClaims of its namespace, as stored.</param>
    /// <param name="now">The time.</param>
    public static SyncResult Reconcile(JsonObject set, IReadOnlyList<V1Pod> namespacePods, IReadOnlyList<JsonObject> namespaceRevisions, IReadOnlyList<JsonObject> namespaceClaims, DateTimeOffset now)
    {
        var sync = new StatefulSetReconciler(set, namespaceClaims, now);
        return new SyncResult(sync.Run(namespacePods, namespaceRevisions), sync.AvailabilityRequeue(namespacePods));
    }

    /// <summary>The ordinal in a pod name <c>&lt;set&gt;-&lt;n&gt;</c>, or -1 when the name is not one of the set's.</summary>
    public static int Ordinal(string setName, string podName) =>
        podName.Length > setName.Length + 1 && podName.StartsWith(setName + "-", StringComparison.Ordinal)
        && int.TryParse(podName.AsSpan(setName.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal)
            ? ordinal
            : -1;

    public static string PodRevision(V1Pod pod) =>
        pod.Metadata.Labels is { } labels && labels.TryGetValue(ControllerRevisions.PodRevisionLabel, out var revision) ? revision : string.Empty;

    private List<ControllerWrite> Run(IReadOnlyList<V1Pod> namespacePods, IReadOnlyList<JsonObject> namespaceRevisions)
    {
        var history = ControllerRevisions.Owned(namespaceRevisions, _set.Metadata.Uid);
        var (current, update) = Revisions(history);
        var pods = namespacePods
            .Where(pod => KubeObjects.IsControlledBy(pod.Metadata, _set.Metadata.Uid) && Ordinal(Name, pod.Metadata.Name) >= 0)
            .OrderBy(pod => Ordinal(Name, pod.Metadata.Name))
            .ToList();

        if (_set.Metadata.DeletionTimestamp is null)
        {
            SyncPods(pods, current, update);
        }

        var live = new HashSet<string>(pods.Select(PodRevision), StringComparer.Ordinal) { current.Name, update.Name };
        _writes.AddRange(ControllerRevisions.Truncate(history, live, _set.Spec.RevisionHistoryLimit ?? 10, _set.Metadata.NamespaceProperty));
        WriteStatus(pods, current.Name, update.Name);
        return _writes;
    }

    /// <summary>
    /// The update revision is the live template's; an equal stored revision is reused (and renumbered to the top when
    /// it is not already the newest, as a rollback does), else a new one is created. The current revision is the one
    /// status names, or the update revision on the first sync.
    /// </summary>
    private (ControllerRevisions.Revision Current, ControllerRevisions.Revision Update) Revisions(List<ControllerRevisions.Revision> history)
    {
        var data = ControllerRevisions.TemplatePatch(_template);
        var collisions = _set.Status?.CollisionCount;
        var hash = ControllerRevisions.Hash(data, collisions);
        var next = ControllerRevisions.NextNumber(history);
        var equal = history.LastOrDefault(revision => JsonNode.DeepEquals(revision.Data, data));
        ControllerRevisions.Revision update;
        if (equal is not null)
        {
            update = equal;
            if (equal.Number != history[^1].Number)
            {
                _writes.Add(ControllerRevisions.Renumber(equal, next));
                update = equal with { Number = next };
                history.Remove(equal);
                history.Add(update);
            }
        }
        else
        {
            var created = ControllerRevisions.New("StatefulSet", _set.Metadata, _set.Spec.Template.Metadata?.Labels, ControllerRevisions.HashLabel, hash, data, next);
            _writes.Add(new CreateObject(BuiltinResources.ControllerRevisions, created));
            update = new ControllerRevisions.Revision(created.Metadata.Name, next, data, KubeObjects.ToJson(created));
            history.Add(update);
        }

        var current = history.FirstOrDefault(revision => revision.Name == _set.Status?.CurrentRevision) ?? update;
        return (current, update);
    }

    private void SyncPods(List<V1Pod> pods, ControllerRevisions.Revision current, ControllerRevisions.Revision update)
    {
        var replicas = _set.Spec.Replicas ?? 1;
        var slots = new V1Pod?[replicas];
        var condemned = new List<V1Pod>();
        foreach (var pod in pods)
        {
            var ordinal = Ordinal(Name, pod.Metadata.Name);
            if (ordinal < replicas)
            {
                slots[ordinal] = pod;
            }
            else
            {
                condemned.Add(pod);
            }
        }

        if (!CreateAndWait(slots, current, update) || !ScaleDown(condemned))
        {
            return;
        }

        if (RollingUpdate)
        {
            UpdateInReverse(slots, update.Name);
        }
    }

    /// <summary>Ascending ordinals: replace failed pods, create missing ones; under OrderedReady stop at the first that is not ready.</summary>
    private bool CreateAndWait(V1Pod?[] slots, ControllerRevisions.Revision current, ControllerRevisions.Revision update)
    {
        for (var ordinal = 0; ordinal < slots.Length; ordinal++)
        {
            var pod = slots[ordinal];
            if (pod is not null && pod.Status?.Phase is "Failed" or "Succeeded" && pod.Metadata.DeletionTimestamp is null)
            {
                DeletePod(pod, "recreate");
                return false;
            }

            if (pod is null)
            {
                var onCurrent = RollingUpdate && ordinal < Partition;
                CreatePod(ordinal, onCurrent ? current : update);
                if (Monotonic)
                {
                    return false;
                }

                continue;
            }

            if (Monotonic && (pod.Metadata.DeletionTimestamp is not null || !IsRunningAndReady(pod) || !IsAvailable(pod)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Pods at or above spec.replicas go highest ordinal first; under OrderedReady one at a time, once the rest are healthy.</summary>
    private bool ScaleDown(List<V1Pod> condemned)
    {
        for (var index = condemned.Count - 1; index >= 0; index--)
        {
            var pod = condemned[index];
            if (pod.Metadata.DeletionTimestamp is not null)
            {
                if (Monotonic)
                {
                    return false;
                }

                continue;
            }

            DeletePod(pod, "delete");
            if (Monotonic)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Highest ordinal first, down to the partition: delete one pod not on the update revision, and wait for unhealthy ones.</summary>
    private void UpdateInReverse(V1Pod?[] slots, string updateRevision)
    {
        for (var ordinal = slots.Length - 1; ordinal >= Partition; ordinal--)
        {
            if (slots[ordinal] is not { } pod)
            {
                return;
            }

            if (PodRevision(pod) != updateRevision && pod.Metadata.DeletionTimestamp is null)
            {
                DeletePod(pod, "update");
                return;
            }

            if (!IsRunningAndReady(pod) || !IsAvailable(pod) || pod.Metadata.DeletionTimestamp is not null)
            {
                return;
            }
        }
    }

    private static bool IsRunningAndReady(V1Pod pod) => pod.Status?.Phase == "Running" && PodConditions.IsReady(pod);

    private bool IsAvailable(V1Pod pod) => PodConditions.IsAvailable(pod, _set.Spec.MinReadySeconds ?? 0, _now);

    private void Event(string type, string reason, string message) =>
        _writes.Add(new RecordEvent(new EventSpec(KubeObjects.Reference("apps/v1", "StatefulSet", _set.Metadata), type, reason, message, Component, null, _now)));
}
