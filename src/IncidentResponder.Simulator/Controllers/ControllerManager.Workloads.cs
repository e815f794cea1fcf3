using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>
/// The workload controllers beyond Deployments: StatefulSets, DaemonSets, Jobs and CronJobs. Each is queued by its own
/// object, by the pods (or Jobs, or ControllerRevisions) it controls, and re-synced after the delay it asks for.
/// </summary>
public sealed partial class ControllerManager
{
    private static readonly (ResourceType Type, WorkKind Kind)[] WorkloadKinds =
    [
        (BuiltinResources.StatefulSets, WorkKind.StatefulSet),
        (BuiltinResources.DaemonSets, WorkKind.DaemonSet),
        (BuiltinResources.Jobs, WorkKind.Job),
        (BuiltinResources.CronJobs, WorkKind.CronJob),
    ];

    /// <summary>Queues the key of a workload that changed, or the owner of a revision or Job; false when the event is about something else.</summary>
    private bool OnWorkloadEvent(StoreEvent change)
    {
        var obj = change.Object;
        foreach (var (type, kind) in WorkloadKinds)
        {
            if (change.Resource == type)
            {
                _queue.Add(new WorkKey(kind, Namespace(obj), Name(obj)));
                if (kind == WorkKind.Job)
                {
                    EnqueueOwner(obj, "CronJob", WorkKind.CronJob);
                }

                return true;
            }
        }

        if (change.Resource == BuiltinResources.ControllerRevisions)
        {
            EnqueueOwner(obj, "StatefulSet", WorkKind.StatefulSet);
            EnqueueOwner(obj, "DaemonSet", WorkKind.DaemonSet);
            return true;
        }

        if (change.Resource == BuiltinResources.Nodes)
        {
            // A node that appears, goes or changes its labels or taints changes where daemons belong.
            foreach (var daemonSet in _store.List(BuiltinResources.DaemonSets))
            {
                _queue.Add(new WorkKey(WorkKind.DaemonSet, Namespace(daemonSet), Name(daemonSet)));
            }

            return true;
        }

        return false;
    }

    private void EnqueueWorkloadOwners(JsonObject pod)
    {
        EnqueueOwner(pod, "StatefulSet", WorkKind.StatefulSet);
        EnqueueOwner(pod, "DaemonSet", WorkKind.DaemonSet);
        EnqueueOwner(pod, "Job", WorkKind.Job);
    }

    private void SyncWorkload(WorkKey key, DateTimeOffset now)
    {
        var result = key.Kind switch
        {
            WorkKind.StatefulSet => SyncStatefulSet(key, now),
            WorkKind.DaemonSet => SyncDaemonSet(key, now),
            WorkKind.Job => _store.Get(BuiltinResources.Jobs, key.Namespace, key.Name) is { } job
                ? JobReconciler.Reconcile(KubeObjects.ToTyped<V1Job>(job), NamespacePods(key.Namespace), now, _options.JobFailureBackOff, _options.PodNameSuffix)
                : null,
            WorkKind.CronJob => _store.Get(BuiltinResources.CronJobs, key.Namespace, key.Name) is { } cronJob
                ? CronJobReconciler.Reconcile(KubeObjects.ToTyped<V1CronJob>(cronJob), _store.List(BuiltinResources.Jobs, key.Namespace).Select(KubeObjects.ToTyped<V1Job>).ToList(), now)
                : null,
            _ => null,
        };
        if (result is null)
        {
            return;
        }

        Apply(result.Writes);
        if (result.RequeueAfter is { } after)
        {
            // The delay counts from the sync's own "now": the clock may have moved while it ran (a CronJob's next
            // schedule must not slip by the sync's duration, nor be missed when a test clock jumps past it meanwhile).
            _queue.AddAfter(key, after - (_time.GetUtcNow() - now));
        }
    }

    private SyncResult? SyncStatefulSet(WorkKey key, DateTimeOffset now)
    {
        if (_store.Get(BuiltinResources.StatefulSets, key.Namespace, key.Name) is not { } json)
        {
            return null;
        }

        return StatefulSetReconciler.Reconcile(
            json,
            NamespacePods(key.Namespace),
            _store.List(BuiltinResources.ControllerRevisions, key.Namespace),
            _store.List(BuiltinResources.PersistentVolumeClaims, key.Namespace),
            now);
    }

    private SyncResult? SyncDaemonSet(WorkKey key, DateTimeOffset now)
    {
        if (_store.Get(BuiltinResources.DaemonSets, key.Namespace, key.Name) is not { } json)
        {
            return null;
        }

        return DaemonSetReconciler.Reconcile(
            json,
            _store.List(BuiltinResources.Nodes).Select(KubeObjects.ToTyped<V1Node>).ToList(),
            NamespacePods(key.Namespace),
            _store.List(BuiltinResources.ControllerRevisions, key.Namespace),
            now,
            _options.PodNameSuffix);
    }

    private List<V1Pod> NamespacePods(string ns) => _store.List(BuiltinResources.Pods, ns).Select(KubeObjects.ToTyped<V1Pod>).ToList();
}
