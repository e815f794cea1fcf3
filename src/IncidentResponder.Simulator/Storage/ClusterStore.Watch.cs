using System.Globalization;
using IncidentResponder.Simulator.Selectors;

namespace IncidentResponder.Simulator.Storage;

/// <summary>Watches and the watch history: initial events or replay from a resourceVersion, bookmarks, subscriptions, compaction.</summary>
public sealed partial class ClusterStore
{
    /// <summary>
    /// Opens a watch. With <paramref name="resourceVersion"/> null/""/"0" the current matching objects are queued as
    /// synthetic ADDED events; with N the retained changes after N are replayed (410 Expired when compacted).
    /// </summary>
    public StoreWatcher Watch(ResourceType type, string? @namespace, LabelSelector labels, FieldSelector fields, string? resourceVersion)
    {
        lock (_gate)
        {
            var watcher = _hub.Add(type, @namespace, labels, fields);
            try
            {
                var initial = new List<WatchDelivery>();
                if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
                {
                    foreach (var obj in ListStored(type, @namespace, labels, fields).Items)
                    {
                        initial.Add(new WatchDelivery(WatchEventType.Added, new WatchEvent(WatchEventType.Added, obj, null)));
                    }
                }
                else
                {
                    if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                    {
                        throw ApiErrors.BadRequest($"invalid resource version: {resourceVersion}");
                    }

                    foreach (var change in _hub.Since(type, from))
                    {
                        var matchesNow = watcher.Matches(change.Object);
                        var matchedBefore = change.Previous is not null && watcher.Matches(change.Previous);
                        WatchEventType? asType = change.Type switch
                        {
                            WatchEventType.Added when matchesNow => WatchEventType.Added,
                            WatchEventType.Deleted when matchedBefore || matchesNow => WatchEventType.Deleted,
                            WatchEventType.Modified when matchesNow => matchedBefore ? WatchEventType.Modified : WatchEventType.Added,
                            WatchEventType.Modified when matchedBefore => WatchEventType.Deleted,
                            _ => null,
                        };
                        if (asType is { } t)
                        {
                            initial.Add(new WatchDelivery(t, change));
                        }
                    }
                }

                watcher.InitialEvents = initial;
                watcher.StartResourceVersion = _resourceVersion;
                return watcher;
            }
            catch
            {
                watcher.Dispose();
                throw;
            }
        }
    }

    /// <summary>The current global resourceVersion, read consistently with event delivery to <paramref name="watcher"/> (for bookmarks).</summary>
    public long? BookmarkVersion(StoreWatcher watcher)
    {
        lock (_gate)
        {
            return watcher.Queued == 0 ? _resourceVersion : null;
        }
    }

    public IDisposable Subscribe(Action<StoreEvent> onEvent)
    {
        var subscription = new StoreSubscription(onEvent, s =>
        {
            lock (_gate)
            {
                _subscriptions.Remove(s);
            }
        });
        lock (_gate)
        {
            _subscriptions.Add(subscription);
        }

        return subscription;
    }

    /// <summary>Test hook: forget history through <paramref name="resourceVersion"/> (default: everything so far).</summary>
    public void CompactHistory(long? resourceVersion = null)
    {
        lock (_gate)
        {
            _hub.Compact(resourceVersion ?? _resourceVersion);
        }
    }

    /// <summary>The open watchers, optionally of one type (test hooks close, stall or fail them).</summary>
    public IReadOnlyList<StoreWatcher> OpenWatchers(ResourceType? type = null)
    {
        lock (_gate)
        {
            return _hub.Watchers(type).ToList();
        }
    }
}
