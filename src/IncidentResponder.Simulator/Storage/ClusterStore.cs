namespace IncidentResponder.Simulator.Storage;

/// <summary>
/// The simulated etcd plus the generic registry: one global resourceVersion, per-type tables ordered by
/// namespace/name, server-set metadata, optimistic concurrency, status isolation, admission, finalizers and garbage
/// collection, and the watch history. All writes are serialized by one lock, which is also what orders watch events.
/// This file holds the state and its registration points; reads, writes, the commit, watches and deletion each live
/// in a <c>ClusterStore.*.cs</c> file of their own.
/// </summary>
public sealed partial class ClusterStore : IClusterStore, IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ResourceType, SortedDictionary<string, SortedDictionary<string, StoredObject>>> _tables = [];
    private readonly Dictionary<string, ObjectKey> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<ObjectKey>> _dependents = new(StringComparer.Ordinal);
    private readonly List<IAdmissionStep> _admission = [];
    private readonly List<Action<WatchEvent>> _commitObservers = [];
    private readonly List<StoreSubscription> _subscriptions = [];
    private readonly WatchHub _hub;
    private long _resourceVersion;

    public ClusterStore(TimeProvider time, ResourceRegistry registry, int watchHistorySize = 100_000, int maxQueuedPerWatcher = 1_000_000)
    {
        Time = time;
        Registry = registry;
        _hub = new WatchHub(_gate, watchHistorySize, maxQueuedPerWatcher);
    }

    public TimeProvider Time { get; }

    public ResourceRegistry Registry { get; }

    public IContainerLogs Logs { get; } = new ContainerLogs();

    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>Oldest resourceVersion a watch can still resume from (exclusive).</summary>
    public long CompactedThrough
    {
        get
        {
            lock (_gate)
            {
                return _hub.CompactedThrough;
            }
        }
    }

    public void AddAdmissionStep(IAdmissionStep step)
    {
        lock (_gate)
        {
            _admission.Add(step);
        }
    }

    /// <summary>Runs <paramref name="observer"/> under the store lock right after each commit (used to serve CRDs the moment they are stored).</summary>
    internal void AddCommitObserver(Action<WatchEvent> observer)
    {
        lock (_gate)
        {
            _commitObservers.Add(observer);
        }
    }

    public void Dispose()
    {
        foreach (var watcher in OpenWatchers())
        {
            watcher.Close();
        }

        List<StoreSubscription> subscriptions;
        lock (_gate)
        {
            subscriptions = [.. _subscriptions];
        }

        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }
    }

    private StoredObject? Find(ResourceType type, string? @namespace, string name) =>
        _tables.TryGetValue(type, out var table) && table.TryGetValue(type.Namespaced ? @namespace ?? string.Empty : string.Empty, out var byName)
        && byName.TryGetValue(name, out var obj) ? obj : null;
}
