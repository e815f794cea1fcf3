using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Selectors;

namespace IncidentResponder.Simulator.Storage;

/// <summary>Reads: get, list (paged, in namespace/name order, filtered by label and field selectors) and count.</summary>
public sealed partial class ClusterStore
{
    public JsonObject? Get(ResourceType type, string? @namespace, string name) => GetStored(type, @namespace, name)?.ToJsonObject();

    public StoredObject? GetStored(ResourceType type, string? @namespace, string name)
    {
        lock (_gate)
        {
            return Find(type, @namespace, name);
        }
    }

    public IReadOnlyList<JsonObject> List(ResourceType type, string? @namespace = null) =>
        ListStored(type, @namespace, LabelSelector.Everything, FieldSelector.Everything).Items.Select(o => o.ToJsonObject()).ToList();

    public IReadOnlyList<JsonObject> List(ResourceType type, string? @namespace, string labelSelector) =>
        ListStored(type, @namespace, LabelSelector.Parse(labelSelector), FieldSelector.Everything).Items.Select(o => o.ToJsonObject()).ToList();

    /// <summary>One page of a list: the matching objects after <paramref name="after"/> in namespace/name order.</summary>
    public ListPage ListStored(ResourceType type, string? @namespace, LabelSelector labels, FieldSelector fields, int limit = 0, (string Namespace, string Name)? after = null)
    {
        lock (_gate)
        {
            var items = new List<StoredObject>();
            string? lastNamespace = null;
            string? lastName = null;
            var remaining = 0L;
            if (_tables.TryGetValue(type, out var table))
            {
                IEnumerable<KeyValuePair<string, SortedDictionary<string, StoredObject>>> namespaces = @namespace is null
                    ? table
                    : table.TryGetValue(@namespace, out var one) ? [new(@namespace, one)] : [];
                foreach (var (ns, byName) in namespaces)
                {
                    if (after is { } a && string.CompareOrdinal(ns, a.Namespace) < 0)
                    {
                        continue;
                    }

                    foreach (var (name, obj) in byName)
                    {
                        if (after is { } b && string.CompareOrdinal(ns, b.Namespace) == 0 && string.CompareOrdinal(name, b.Name) <= 0)
                        {
                            continue;
                        }

                        if (!labels.Matches(obj.Labels) || !fields.Matches(obj.Fields))
                        {
                            continue;
                        }

                        if (limit > 0 && items.Count >= limit)
                        {
                            remaining++;
                            continue;
                        }

                        items.Add(obj);
                        lastNamespace = ns;
                        lastName = name;
                    }
                }
            }

            var more = remaining > 0 ? (lastNamespace!, lastName!) : ((string, string)?)null;
            return new ListPage(_resourceVersion, items, more, remaining);
        }
    }

    public int Count(ResourceType type)
    {
        lock (_gate)
        {
            return _tables.TryGetValue(type, out var table) ? table.Values.Sum(t => t.Count) : 0;
        }
    }
}

/// <summary>A page of a list: the store's resourceVersion at list time, the items, and where the next page starts.</summary>
public sealed record ListPage(long ResourceVersion, IReadOnlyList<StoredObject> Items, (string Namespace, string Name)? Continue, long RemainingItemCount);
