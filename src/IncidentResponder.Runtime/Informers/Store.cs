namespace IncidentResponder.Runtime.Informers;

/// <summary>
/// The informer's cache with secondary indexes. One writer (the informer), many readers; a single lock keeps every
/// index consistent with the primary map, and reads are short (a dictionary lookup or a copy of one index bucket).
/// </summary>
public sealed class Store<T> : IReadOnlyStore<T>
    where T : class, ICachedObject
{
    private readonly Dictionary<ObjectKey, T> _items = [];
    private readonly Dictionary<string, Index> _indexes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Adds an index; must be called before the store is filled.</summary>
    public void AddIndexer(string name, Func<T, IEnumerable<string>> indexFunc)
    {
        lock (_gate)
        {
            if (_items.Count > 0)
            {
                throw new InvalidOperationException($"Indexer '{name}' must be added before the store is filled.");
            }

            _indexes.Add(name, new Index(indexFunc));
        }
    }

    public T? Get(ObjectKey key)
    {
        lock (_gate)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    public IReadOnlyList<T> List()
    {
        lock (_gate)
        {
            return [.. _items.Values];
        }
    }

    public IReadOnlyList<T> ByIndex(string indexName, string indexValue)
    {
        lock (_gate)
        {
            if (!_indexes.TryGetValue(indexName, out var index))
            {
                throw new KeyNotFoundException($"No indexer named '{indexName}'.");
            }

            return index.Buckets.TryGetValue(indexValue, out var keys) ? [.. keys.Select(key => _items[key])] : [];
        }
    }

    /// <summary>Inserts or replaces; returns the previous object, if any.</summary>
    public T? Upsert(T obj)
    {
        var key = ObjectKey.Of(obj);
        lock (_gate)
        {
            _items.TryGetValue(key, out var old);
            if (old is not null)
            {
                Unindex(key, old);
            }

            _items[key] = obj;
            IndexItem(key, obj);
            return old;
        }
    }

    /// <summary>Removes by key; returns what was removed, if anything.</summary>
    public T? Remove(ObjectKey key)
    {
        lock (_gate)
        {
            if (!_items.Remove(key, out var old))
            {
                return null;
            }

            Unindex(key, old);
            return old;
        }
    }

    /// <summary>Replaces the whole content (after a LIST) and returns what changed, so the informer can emit events.</summary>
    public StoreDiff<T> Replace(IReadOnlyCollection<T> fresh)
    {
        lock (_gate)
        {
            var added = new List<T>();
            var updated = new List<(T Old, T New)>();
            var freshKeys = new HashSet<ObjectKey>(fresh.Count);
            foreach (var obj in fresh)
            {
                var key = ObjectKey.Of(obj);
                freshKeys.Add(key);
                if (_items.TryGetValue(key, out var old))
                {
                    if (old.ResourceVersion != obj.ResourceVersion)
                    {
                        updated.Add((old, obj));
                    }
                }
                else
                {
                    added.Add(obj);
                }
            }

            var deleted = _items.Where(pair => !freshKeys.Contains(pair.Key)).Select(pair => pair.Value).ToList();

            _items.Clear();
            foreach (var index in _indexes.Values)
            {
                index.Buckets.Clear();
            }

            foreach (var obj in fresh)
            {
                var key = ObjectKey.Of(obj);
                _items[key] = obj;
                IndexItem(key, obj);
            }

            return new StoreDiff<T>(added, updated, deleted);
        }
    }

    private void IndexItem(ObjectKey key, T obj)
    {
        foreach (var index in _indexes.Values)
        {
            foreach (var value in index.Func(obj))
            {
                if (!index.Buckets.TryGetValue(value, out var keys))
                {
                    keys = [];
                    index.Buckets[value] = keys;
                }

                keys.Add(key);
            }
        }
    }

    private void Unindex(ObjectKey key, T obj)
    {
        foreach (var index in _indexes.Values)
        {
            foreach (var value in index.Func(obj))
            {
                if (index.Buckets.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    index.Buckets.Remove(value);
                }
            }
        }
    }

    private sealed class Index(Func<T, IEnumerable<string>> func)
    {
        public Func<T, IEnumerable<string>> Func { get; } = func;

        public Dictionary<string, HashSet<ObjectKey>> Buckets { get; } = new(StringComparer.Ordinal);
    }
}
