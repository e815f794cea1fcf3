namespace IncidentResponder.Simulator.Storage;

/// <summary>The commit: updates the tables and the uid and owner indexes, queues garbage collection, and fans the change out to watch history, observers and subscribers.</summary>
public sealed partial class ClusterStore
{
    private void Commit(StoredObject? previous, StoredObject current, WatchEventType type)
    {
        var key = current.Key;
        if (!_tables.TryGetValue(key.Type, out var table))
        {
            _tables[key.Type] = table = new SortedDictionary<string, SortedDictionary<string, StoredObject>>(StringComparer.Ordinal);
        }

        var nsKey = key.Namespace ?? string.Empty;
        if (previous is not null)
        {
            foreach (var owner in previous.OwnerUids)
            {
                if (_dependents.TryGetValue(owner, out var set))
                {
                    set.Remove(key);
                    if (set.Count == 0)
                    {
                        _dependents.Remove(owner);
                    }
                }
            }
        }

        if (type == WatchEventType.Deleted)
        {
            if (table.TryGetValue(nsKey, out var byName))
            {
                byName.Remove(key.Name);
                if (byName.Count == 0)
                {
                    table.Remove(nsKey);
                }
            }

            _byUid.Remove(current.Uid);
            _pendingOwners.Enqueue(current.Uid);
            foreach (var owner in current.OwnerUids)
            {
                _pendingOwners.Enqueue(owner);
            }

            if (key.Type == BuiltinResources.Pods)
            {
                Logs.RemovePod(key.Namespace!, key.Name);
            }
        }
        else
        {
            if (!table.TryGetValue(nsKey, out var byName))
            {
                table[nsKey] = byName = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
            }

            byName[key.Name] = current;
            _byUid[current.Uid] = key;
            foreach (var owner in current.OwnerUids)
            {
                if (!_dependents.TryGetValue(owner, out var set))
                {
                    _dependents[owner] = set = [];
                }

                set.Add(key);
            }

            if (current.Terminating)
            {
                _pendingOwners.Enqueue(current.Uid);
            }
        }

        var change = new WatchEvent(type, current, previous);
        _hub.Record(change);
        foreach (var observer in _commitObservers)
        {
            observer(change);
        }

        foreach (var subscription in _subscriptions)
        {
            subscription.Enqueue(change);
        }
    }
}
