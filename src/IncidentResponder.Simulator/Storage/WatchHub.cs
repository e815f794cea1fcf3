using IncidentResponder.Simulator.Selectors;

namespace IncidentResponder.Simulator.Storage;

/// <summary>
/// The bounded history of changes (a ring buffer keyed by the global resourceVersion) and the open watchers.
/// Every method is called under the store lock, which is what keeps delivery in resourceVersion order.
/// </summary>
internal sealed class WatchHub(Lock gate, int historySize, int maxQueuedPerWatcher)
{
    private readonly WatchEvent?[] _ring = new WatchEvent?[Math.Max(16, historySize)];
    private readonly Dictionary<ResourceType, List<StoreWatcher>> _watchers = [];
    private long _count;

    /// <summary>Changes with a resourceVersion at or below this were compacted away: resuming from them gives 410.</summary>
    public long CompactedThrough { get; private set; }

    public int WatcherCount => _watchers.Values.Sum(list => list.Count);

    public void Record(WatchEvent change)
    {
        var slot = (int)(_count % _ring.Length);
        if (_ring[slot] is { } evicted)
        {
            CompactedThrough = Math.Max(CompactedThrough, evicted.ResourceVersion);
        }

        _ring[slot] = change;
        _count++;
        if (_watchers.TryGetValue(change.Object.Type, out var list))
        {
            foreach (var watcher in list)
            {
                watcher.Offer(change);
            }
        }
    }

    /// <summary>Forgets history up to and including <paramref name="resourceVersion"/> (etcd compaction).</summary>
    public void Compact(long resourceVersion) => CompactedThrough = Math.Max(CompactedThrough, resourceVersion);

    public StoreWatcher Add(ResourceType type, string? @namespace, LabelSelector labels, FieldSelector fields)
    {
        var watcher = new StoreWatcher(type, @namespace, labels, fields, maxQueuedPerWatcher, Remove);
        if (!_watchers.TryGetValue(type, out var list))
        {
            _watchers[type] = list = [];
        }

        list.Add(watcher);
        return watcher;
    }

    /// <summary>The changes of <paramref name="type"/> after <paramref name="resourceVersion"/>, oldest first. Throws 410 when they were compacted.</summary>
    public List<WatchEvent> Since(ResourceType type, long resourceVersion)
    {
        if (resourceVersion < CompactedThrough)
        {
            throw ApiErrors.Expired($"too old resource version: {resourceVersion} ({CompactedThrough})");
        }

        var result = new List<WatchEvent>();
        var retained = (int)Math.Min(_count, _ring.Length);
        for (var i = retained; i > 0; i--)
        {
            var change = _ring[(int)((_count - i) % _ring.Length)]!;
            if (change.ResourceVersion > resourceVersion && change.ResourceVersion > CompactedThrough && change.Object.Type == type)
            {
                result.Add(change);
            }
        }

        return result;
    }

    public IEnumerable<StoreWatcher> Watchers(ResourceType? type = null) =>
        type is null ? _watchers.Values.SelectMany(l => l).ToList() : _watchers.TryGetValue(type, out var l) ? l.ToList() : [];

    private void Remove(StoreWatcher watcher)
    {
        lock (gate)
        {
            if (_watchers.TryGetValue(watcher.Type, out var list))
            {
                list.Remove(watcher);
            }
        }
    }
}
