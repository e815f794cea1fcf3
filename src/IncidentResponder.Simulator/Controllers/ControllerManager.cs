using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Kubelet;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>
/// The imperative shell around the pure reconcilers: it turns store changes into work keys, runs the deployment and
/// replicaset controllers, the scheduler and the kubelet one key at a time, and applies their writes through
/// <see cref="IClusterStore"/>. A conflict (409) abandons the rest of a sync and re-queues the key, so the next sync
/// re-reads the object, as client-go controllers do. Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class ControllerManager : IAsyncDisposable
{
    private readonly IClusterStore _store;
    private readonly TimeProvider _time;
    private readonly ControllerManagerOptions _options;
    private readonly IContainerLogs? _logs;
    private readonly EventRecorder _events;
    private readonly WorkQueue _queue;
    private readonly ConcurrentDictionary<string, PodMemory> _kubelet = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _pauseGate = new();
    private TaskCompletionSource _resumed = NewResumed(completed: true);
    private IDisposable? _subscription;
    private Task? _worker;

    public ControllerManager(IClusterStore store, TimeProvider time, ControllerManagerOptions? options = null, IContainerLogs? logs = null)
    {
        _store = store;
        _time = time;
        _options = options ?? new ControllerManagerOptions();
        _logs = logs;
        _events = new EventRecorder(store);
        _queue = new WorkQueue(time);
    }

    /// <summary>Syncs that failed with an unexpected error (kept for tests and diagnostics; the key is retried).</summary>
    public ConcurrentQueue<Exception> Errors { get; } = new();

    public bool IsPaused { get; private set; }

    /// <summary>Creates the nodes if there are none, starts watching the store and queues every existing object.</summary>
    public void Start()
    {
        if (_store.List(BuiltinResources.Nodes).Count == 0)
        {
            for (var i = 1; i <= _options.NodeCount; i++)
            {
                _store.Create(BuiltinResources.Nodes, KubeObjects.ToJson(SimulatedNodes.Create(i, _time.GetUtcNow())));
            }
        }

        _subscription = _store.Subscribe(OnStoreEvent);
        foreach (var (type, kind) in new[] { (BuiltinResources.Deployments, WorkKind.Deployment), (BuiltinResources.ReplicaSets, WorkKind.ReplicaSet), (BuiltinResources.Pods, WorkKind.Pod) }.Concat(WorkloadKinds))
        {
            foreach (var obj in _store.List(type))
            {
                _queue.Add(new WorkKey(kind, Namespace(obj), Name(obj)));
            }
        }

        _worker = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Test hook: controllers and kubelets stand still (work keeps queuing) until <see cref="Resume"/>.</summary>
    public void Pause()
    {
        lock (_pauseGate)
        {
            if (!IsPaused)
            {
                IsPaused = true;
                _resumed = NewResumed(completed: false);
            }
        }
    }

    public void Resume()
    {
        lock (_pauseGate)
        {
            IsPaused = false;
            _resumed.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        Resume();
        if (_worker is not null)
        {
            try
            {
                await _worker.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping is the expected way out of the loop.
            }
        }

        _queue.Dispose();
        _stop.Dispose();
    }

    private static TaskCompletionSource NewResumed(bool completed)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            source.SetResult();
        }

        return source;
    }

    private void OnStoreEvent(StoreEvent change)
    {
        var obj = change.Object;
        var ns = Namespace(obj);
        if (change.Resource == BuiltinResources.Deployments)
        {
            _queue.Add(new WorkKey(WorkKind.Deployment, ns, Name(obj)));
        }
        else if (change.Resource == BuiltinResources.ReplicaSets)
        {
            _queue.Add(new WorkKey(WorkKind.ReplicaSet, ns, Name(obj)));
            EnqueueOwner(obj, "Deployment", WorkKind.Deployment);
        }
        else if (change.Resource == BuiltinResources.Pods)
        {
            if (change.Type == StoreEventType.Deleted)
            {
                _kubelet.TryRemove(Uid(obj), out _);
            }
            else
            {
                _queue.Add(new WorkKey(WorkKind.Pod, ns, Name(obj)));
            }

            EnqueueOwner(obj, "ReplicaSet", WorkKind.ReplicaSet);
            EnqueueWorkloadOwners(obj);
        }
        else if (OnWorkloadEvent(change))
        {
            // A StatefulSet, DaemonSet, Job, CronJob or ControllerRevision: queued by the workload controllers' rules.
        }
        else if (change.Resource == BuiltinResources.ConfigMaps && Name(obj) == ImageFaults.ConfigMapName)
        {
            // The image → fault map changed: the kubelet looks at the namespace's pods again.
            foreach (var pod in _store.List(BuiltinResources.Pods, ns))
            {
                _queue.Add(new WorkKey(WorkKind.Pod, ns, Name(pod)));
            }
        }
    }

    private void EnqueueOwner(JsonObject obj, string kind, WorkKind work)
    {
        if (obj["metadata"]?["ownerReferences"] is JsonArray owners)
        {
            foreach (var owner in owners.OfType<JsonObject>())
            {
                if (owner["controller"]?.GetValue<bool>() == true && owner["kind"]?.GetValue<string>() == kind && owner["name"]?.GetValue<string>() is { } name)
                {
                    _queue.Add(new WorkKey(work, Namespace(obj), name));
                }
            }
        }
    }

    private async Task RunAsync(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            var key = await _queue.TakeAsync(cancellation).ConfigureAwait(false);
            Task resumed;
            lock (_pauseGate)
            {
                resumed = _resumed.Task;
            }

            await resumed.WaitAsync(cancellation).ConfigureAwait(false);
            try
            {
                Sync(key);
            }
            catch (StoreException conflict) when (conflict.Code == 409)
            {
                _queue.Add(key);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                Errors.Enqueue(error);
                while (Errors.Count > 100)
                {
                    Errors.TryDequeue(out _);
                }

                _queue.AddAfter(key, TimeSpan.FromSeconds(1));
            }
        }
    }

    private void Sync(WorkKey key)
    {
        var now = _time.GetUtcNow();
        switch (key.Kind)
        {
            case WorkKind.Deployment:
                SyncDeployment(key, now);
                break;
            case WorkKind.ReplicaSet:
                SyncReplicaSet(key, now);
                break;
            case WorkKind.StatefulSet or WorkKind.DaemonSet or WorkKind.Job or WorkKind.CronJob:
                SyncWorkload(key, now);
                break;
            default:
                SyncPod(key, now);
                break;
        }
    }

    private void SyncDeployment(WorkKey key, DateTimeOffset now)
    {
        if (_store.Get(BuiltinResources.Deployments, key.Namespace, key.Name) is not { } json)
        {
            return;
        }

        var replicaSets = _store.List(BuiltinResources.ReplicaSets, key.Namespace).Select(KubeObjects.ToTyped<V1ReplicaSet>).ToList();
        var result = DeploymentReconciler.Reconcile(KubeObjects.ToTyped<V1Deployment>(json), replicaSets, now);
        Apply(result.Writes);
        if (result.RequeueAfter is { } after)
        {
            _queue.AddAfter(key, after);
        }
    }

    private void SyncReplicaSet(WorkKey key, DateTimeOffset now)
    {
        if (_store.Get(BuiltinResources.ReplicaSets, key.Namespace, key.Name) is not { } json)
        {
            return;
        }

        var pods = _store.List(BuiltinResources.Pods, key.Namespace).Select(KubeObjects.ToTyped<V1Pod>).ToList();
        var result = ReplicaSetReconciler.Reconcile(KubeObjects.ToTyped<V1ReplicaSet>(json), pods, now, _options.PodNameSuffix);
        Apply(result.Writes);
        if (result.RequeueAfter is { } after)
        {
            _queue.AddAfter(key, after);
        }
    }

    private void SyncPod(WorkKey key, DateTimeOffset now)
    {
        if (_store.Get(BuiltinResources.Pods, key.Namespace, key.Name) is not { } json)
        {
            return;
        }

        var pod = KubeObjects.ToTyped<V1Pod>(json);
        _kubelet.TryGetValue(pod.Metadata.Uid, out var memory);
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            if ((pod.Metadata.Finalizers?.Count ?? 0) == 0)
            {
                Apply(PodLifecycle.Terminate(pod, memory, now));
            }

            return;
        }

        var nodes = _store.List(BuiltinResources.Nodes).Select(KubeObjects.ToTyped<V1Node>).ToList();
        if (string.IsNullOrEmpty(pod.Spec.NodeName))
        {
            var podsPerNode = _store.List(BuiltinResources.Pods)
                .Select(p => p["spec"]?["nodeName"]?.GetValue<string>())
                .OfType<string>()
                .GroupBy(node => node, StringComparer.Ordinal)
                .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
            Apply(PodScheduler.Schedule(pod, nodes, podsPerNode, now));
            return;
        }

        if (pod.Status?.Phase is "Succeeded" or "Failed" && memory is null)
        {
            return;
        }

        var node = nodes.FirstOrDefault(n => n.Metadata.Name == pod.Spec.NodeName);
        var sync = PodLifecycle.Advance(pod, node, memory, now, _options.Kubelet, ImageFaults.ForPod(_store, pod));
        Apply(sync.Writes);

        // Only a fully applied sync moves the kubelet's memory forward; after a conflict the transitions replay.
        _kubelet[pod.Metadata.Uid] = sync.Memory;
        if (sync.WakeAt is { } wake)
        {
            _queue.AddAfter(key, wake - now);
        }
    }

    /// <summary>Applies writes in order; an update carries the resourceVersion returned by an earlier write of the same object.</summary>
    private void Apply(IReadOnlyList<ControllerWrite> writes)
    {
        var versions = new Dictionary<(ResourceType, string, string), string>();
        foreach (var write in writes)
        {
            switch (write)
            {
                case CreateObject create:
                    // A taken name (409 AlreadyExists, e.g. a repeated random pod suffix) re-queues the key like a conflict.
                    _store.Create(create.Type, KubeObjects.ToJson(create.Object));
                    break;
                case UpdateObject update:
                    Remember(versions, update.Type, Update(update.Type, update.Object, status: false, versions));
                    break;
                case UpdateStatus update:
                    Remember(versions, update.Type, Update(update.Type, update.Object, status: true, versions));
                    break;
                case DeleteObject delete:
                    try
                    {
                        _store.Delete(delete.Type, delete.Namespace, delete.Name);
                    }
                    catch (StoreException missing) when (missing.Code == 404)
                    {
                        // Already gone: deleting is idempotent for a controller.
                    }

                    break;
                case RecordEvent record:
                    _events.Record(record.Event);
                    break;
                case AppendLog log:
                    _logs?.Append(log.Namespace, log.Pod, log.Container, log.Line);
                    break;
                case RotateLog rotate:
                    _logs?.Restart(rotate.Namespace, rotate.Pod, rotate.Container);
                    break;
            }
        }
    }

    private JsonObject Update(ResourceType type, k8s.IKubernetesObject<V1ObjectMeta> obj, bool status, Dictionary<(ResourceType, string, string), string> versions)
    {
        var json = KubeObjects.ToJson(obj);
        if (versions.TryGetValue((type, obj.Metadata.NamespaceProperty ?? "", obj.Metadata.Name), out var version))
        {
            json["metadata"]!["resourceVersion"] = version;
        }

        return _store.Update(type, json, status);
    }

    private static void Remember(Dictionary<(ResourceType, string, string), string> versions, ResourceType type, JsonObject written) =>
        versions[(type, Namespace(written), Name(written))] = written["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "";

    private static string Namespace(JsonObject obj) => obj["metadata"]?["namespace"]?.GetValue<string>() ?? "";

    private static string Name(JsonObject obj) => obj["metadata"]?["name"]?.GetValue<string>() ?? "";

    private static string Uid(JsonObject obj) => obj["metadata"]?["uid"]?.GetValue<string>() ?? "";
}
