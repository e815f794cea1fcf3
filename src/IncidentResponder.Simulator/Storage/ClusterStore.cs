using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Selectors;

namespace IncidentResponder.Simulator.Storage;

/// <summary>
/// The simulated etcd plus the generic registry: one global resourceVersion, per-type tables ordered by
/// namespace/name, server-set metadata, optimistic concurrency, status isolation, admission, finalizers and garbage
/// collection, and the watch history. All writes are serialized by one lock, which is also what orders watch events.
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

    public JsonObject Create(ResourceType type, JsonObject obj) => Create(type, obj, new WriteOptions());

    public JsonObject Create(ResourceType type, JsonObject obj, WriteOptions options)
    {
        var definition = Registry.Get(type);
        obj = obj.DeepClone().AsObject();
        lock (_gate)
        {
            var result = CreateLocked(definition, obj, options);
            DrainGarbageCollection();
            return result;
        }
    }

    public JsonObject Update(ResourceType type, JsonObject obj, bool status = false) => Update(type, obj, status, new WriteOptions());

    public JsonObject Update(ResourceType type, JsonObject obj, bool status, WriteOptions options)
    {
        var definition = Registry.Get(type);
        obj = obj.DeepClone().AsObject();
        lock (_gate)
        {
            var result = UpdateLocked(definition, obj, status, options);
            DrainGarbageCollection();
            return result;
        }
    }

    public void Delete(ResourceType type, string? @namespace, string name) => Delete(type, @namespace, name, new DeleteOptions { GracePeriodSeconds = 0 });

    public JsonObject Delete(ResourceType type, string? @namespace, string name, DeleteOptions options)
    {
        var definition = Registry.Get(type);
        lock (_gate)
        {
            var existing = Find(type, @namespace, name) ?? throw ApiErrors.NotFound(definition, name);
            if (options.PreconditionUid is { } uid && uid != existing.Uid)
            {
                throw ApiErrors.Conflict(definition, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {existing.Uid}");
            }

            if (options.PreconditionResourceVersion is { } rv && rv != existing.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiErrors.Conflict(definition, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {existing.ResourceVersion}");
            }

            var result = DeleteLocked(definition, existing, options);
            DrainGarbageCollection();
            return result;
        }
    }

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

    private JsonObject CreateLocked(ResourceDefinition definition, JsonObject obj, WriteOptions options)
    {
        var type = definition.Type;
        ObjectMetaPruning.Prune(definition, obj, options);
        ObjectRules.PrepareForCreate(definition, obj, Time.GetUtcNow());
        var metadata = ObjectRules.Metadata(obj);
        var causes = ObjectRules.ValidateName(definition, obj);
        if (causes.Count > 0)
        {
            throw ApiErrors.Invalid(definition, ObjectRules.Str(metadata["name"]) ?? string.Empty, causes);
        }

        var name = ObjectRules.Str(metadata["name"])!;
        string? ns = null;
        if (type.Namespaced)
        {
            ns = ObjectRules.Str(metadata["namespace"]);
            if (string.IsNullOrEmpty(ns))
            {
                throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            if (Find(BuiltinResources.Namespaces, null, ns) is not { } owner)
            {
                throw ApiErrors.NamespaceNotFound(ns);
            }

            if (owner.Terminating)
            {
                throw new StoreException(403, "Forbidden", $"{definition.QualifiedResource} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated");
            }
        }

        if (Find(type, ns, name) is not null)
        {
            throw ApiErrors.AlreadyExists(definition, name);
        }

        foreach (var step in _admission)
        {
            step.Admit(new AdmissionContext(definition, AdmissionOperation.Create, null, options), obj, null);
        }

        var result = WithKind(definition, obj);
        if (options.DryRun)
        {
            return result;
        }

        ObjectRules.Metadata(result)["resourceVersion"] = (++_resourceVersion).ToString(CultureInfo.InvariantCulture);
        Commit(null, ObjectSerializer.Freeze(definition, result), WatchEventType.Added);
        return result;
    }

    private JsonObject UpdateLocked(ResourceDefinition definition, JsonObject obj, bool statusSubresource, WriteOptions options)
    {
        var type = definition.Type;
        ObjectMetaPruning.Prune(definition, obj, options);
        var metadata = ObjectRules.Metadata(obj);
        var name = ObjectRules.Str(metadata["name"]) ?? string.Empty;
        var ns = type.Namespaced ? ObjectRules.Str(metadata["namespace"]) : null;
        var existing = Find(type, ns, name) ?? throw ApiErrors.NotFound(definition, name);
        var requestedVersion = ObjectRules.Str(metadata["resourceVersion"]);
        if (!string.IsNullOrEmpty(requestedVersion))
        {
            if (requestedVersion != existing.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiErrors.Conflict(definition, name, ApiErrors.OptimisticLockMessage);
            }
        }
        else if (!definition.AllowUnconditionalUpdate)
        {
            throw ApiErrors.Invalid(definition, name, [new FieldCause("FieldValueInvalid", "Invalid value: 0x0: must be specified for an update", "metadata.resourceVersion")]);
        }

        var old = existing.ToJsonObject();
        var updated = ObjectRules.PrepareForUpdate(definition, obj, old, statusSubresource);
        var oldMetadata = ObjectRules.Metadata(old);
        if (existing.Terminating)
        {
            var before = Finalizers(oldMetadata);
            var added = Finalizers(ObjectRules.Metadata(updated)).Where(f => !before.Contains(f)).ToList();
            if (added.Count > 0)
            {
                throw ApiErrors.Invalid(definition, name, [new FieldCause("FieldValueForbidden", $"Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{{{string.Join(", ", added.Select(f => $"\"{f}\""))}}}", "metadata.finalizers")]);
            }
        }

        foreach (var step in _admission)
        {
            step.Admit(new AdmissionContext(definition, AdmissionOperation.Update, statusSubresource ? "status" : null, options), updated, old);
        }

        // Read after admission: custom resource admission puts its own (pruned, defaulted) metadata node in place, and
        // a reference taken before would set the new resourceVersion on a detached node (the object kept its old one).
        var newMetadata = ObjectRules.Metadata(updated);
        ObjectRules.UpdateGeneration(definition, updated, old);
        newMetadata["resourceVersion"] = oldMetadata["resourceVersion"]!.DeepClone();
        var result = WithKind(definition, updated);

        // A write that changes nothing is not a write: no new resourceVersion, no watch event (etcd3 GuaranteedUpdate).
        if (JsonNode.DeepEquals(result, old) || options.DryRun)
        {
            return result;
        }

        if (existing.Terminating && Finalizers(newMetadata).Count == 0)
        {
            return Remove(definition, existing, result);
        }

        newMetadata["resourceVersion"] = (++_resourceVersion).ToString(CultureInfo.InvariantCulture);
        Commit(existing, ObjectSerializer.Freeze(definition, result), WatchEventType.Modified);
        return result;
    }

    /// <summary>Removes the object for good: the DELETED event carries its last state with the deletion's resourceVersion.</summary>
    private JsonObject Remove(ResourceDefinition definition, StoredObject existing, JsonObject lastState)
    {
        ObjectRules.Metadata(lastState)["resourceVersion"] = (++_resourceVersion).ToString(CultureInfo.InvariantCulture);
        var final = ObjectSerializer.Freeze(definition, lastState);
        Commit(existing, final, WatchEventType.Deleted);
        return lastState;
    }

    private static List<string> Finalizers(JsonObject metadata) =>
        (metadata["finalizers"] as JsonArray)?.Select(f => ObjectRules.Str(f)).OfType<string>().ToList() ?? [];

    private static JsonObject WithKind(ResourceDefinition definition, JsonObject obj)
    {
        var result = new JsonObject { ["kind"] = definition.Type.Kind, ["apiVersion"] = definition.Type.ApiVersion };
        foreach (var (key, value) in obj.ToList())
        {
            if (key is "kind" or "apiVersion")
            {
                continue;
            }

            obj.Remove(key);
            result[key] = value;
        }

        return result;
    }

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

/// <summary>A page of a list: the store's resourceVersion at list time, the items, and where the next page starts.</summary>
public sealed record ListPage(long ResourceVersion, IReadOnlyList<StoredObject> Items, (string Namespace, string Name)? Continue, long RemainingItemCount);
