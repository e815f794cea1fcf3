using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Storage;

/// <summary>Graceful deletion, finalizers, namespace termination and the ownerReference garbage collector.</summary>
public sealed partial class ClusterStore
{
    private const string ForegroundFinalizer = "foregroundDeletion";
    private const string OrphanFinalizer = "orphan";

    /// <summary>Owner uids whose dependents need the garbage collector's attention (owner gone or being deleted).</summary>
    private readonly Queue<string> _pendingOwners = new();

    private JsonObject DeleteLocked(ResourceDefinition definition, StoredObject existing, DeleteOptions options)
    {
        var obj = existing.ToJsonObject();
        var metadata = ObjectRules.Metadata(obj);
        if (options.DryRun)
        {
            return obj;
        }

        if (definition.Type == BuiltinResources.Namespaces)
        {
            return TerminateNamespace(definition, existing, obj);
        }

        var now = Time.GetUtcNow();
        if (definition.Type == BuiltinResources.Pods && GracePeriod(obj, options) is > 0 and var grace)
        {
            // CheckGracefulDelete: a scheduled, unfinished pod stays Terminating until its kubelet confirms with grace 0.
            if (existing.Terminating)
            {
                return obj;
            }

            metadata["deletionTimestamp"] = ObjectRules.Timestamp(now.AddSeconds(grace));
            metadata["deletionGracePeriodSeconds"] = grace;
            return CommitUpdate(definition, existing, obj);
        }

        var finalizers = (metadata["finalizers"] as JsonArray)?.Select(f => ObjectRules.Str(f)).OfType<string>().ToList() ?? [];
        var policyFinalizer = options.PropagationPolicy switch
        {
            "Foreground" => ForegroundFinalizer,
            "Orphan" => OrphanFinalizer,
            _ => null,
        };
        if (policyFinalizer is not null && !existing.Terminating && !finalizers.Contains(policyFinalizer))
        {
            finalizers.Add(policyFinalizer);
        }

        if (finalizers.Count == 0)
        {
            return Remove(definition, existing, obj);
        }

        if (existing.Terminating && policyFinalizer is null)
        {
            return obj;
        }

        metadata["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)JsonValue.Create(f)).ToArray());
        metadata["deletionTimestamp"] ??= ObjectRules.Timestamp(now);
        metadata["deletionGracePeriodSeconds"] ??= 0;
        return CommitUpdate(definition, existing, obj);
    }

    private static long GracePeriod(JsonObject pod, DeleteOptions options)
    {
        var nodeName = ObjectRules.Str(pod["spec"]?["nodeName"]);
        var phase = ObjectRules.Str(pod["status"]?["phase"]);
        if (string.IsNullOrEmpty(nodeName) || phase is "Succeeded" or "Failed")
        {
            return 0;
        }

        if (options.GracePeriodSeconds is { } requested)
        {
            return requested;
        }

        return pod["spec"]?["terminationGracePeriodSeconds"] is JsonValue v && v.TryGetValue<long>(out var fromSpec) ? fromSpec : 30;
    }

    private JsonObject CommitUpdate(ResourceDefinition definition, StoredObject existing, JsonObject obj)
    {
        ObjectRules.Metadata(obj)["resourceVersion"] = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Commit(existing, ObjectSerializer.Freeze(definition, obj), WatchEventType.Modified);
        return obj;
    }

    /// <summary>Namespace deletion: Terminating, then everything in it is deleted, then the namespace itself.</summary>
    private JsonObject TerminateNamespace(ResourceDefinition definition, StoredObject existing, JsonObject obj)
    {
        var name = existing.Name;
        if (!existing.Terminating)
        {
            ObjectRules.Metadata(obj)["deletionTimestamp"] = ObjectRules.Timestamp(Time.GetUtcNow());
            ObjectRules.Metadata(obj)["deletionGracePeriodSeconds"] = 0;
            obj["status"] = new JsonObject { ["phase"] = "Terminating" };
            obj = CommitUpdate(definition, existing, obj);
            existing = Find(definition.Type, null, name)!;
        }

        foreach (var (type, table) in _tables.ToList())
        {
            if (!type.Namespaced || !table.TryGetValue(name, out var byName))
            {
                continue;
            }

            var contentDefinition = Registry.Find(type.Group, type.Version, type.Resource);
            if (contentDefinition is null)
            {
                continue;
            }

            foreach (var content in byName.Values.ToList())
            {
                // The namespace controller removes content without waiting for kubelets or finalizer owners.
                var current = content.ToJsonObject();
                ObjectRules.Metadata(current).Remove("finalizers");
                Remove(contentDefinition, content, current);
            }
        }

        return Remove(definition, existing, obj);
    }

    /// <summary>
    /// The garbage collector, run synchronously after every write: dependents of a removed owner are deleted
    /// (background), a Foreground owner waits until its blocking dependents are gone, an Orphan owner releases them.
    /// </summary>
    private void DrainGarbageCollection()
    {
        while (_pendingOwners.TryDequeue(out var ownerUid))
        {
            _dependents.TryGetValue(ownerUid, out var dependentSet);
            var dependents = dependentSet?.ToList() ?? [];
            var owner = _byUid.TryGetValue(ownerUid, out var ownerKey) ? Find(ownerKey.Type, ownerKey.Namespace, ownerKey.Name) : null;
            if (owner is null)
            {
                foreach (var key in dependents)
                {
                    CollectOrphanedDependent(key, ownerUid);
                }

                continue;
            }

            if (!owner.Terminating)
            {
                continue;
            }

            var ownerObj = owner.ToJsonObject();
            var finalizers = (ObjectRules.Metadata(ownerObj)["finalizers"] as JsonArray)?.Select(f => ObjectRules.Str(f)).ToList() ?? [];
            if (finalizers.Contains(OrphanFinalizer))
            {
                foreach (var key in dependents)
                {
                    DropOwnerReference(key, ownerUid);
                }

                RemoveFinalizer(owner, OrphanFinalizer);
            }
            else if (finalizers.Contains(ForegroundFinalizer))
            {
                var blocking = false;
                foreach (var key in dependents)
                {
                    if (Find(key.Type, key.Namespace, key.Name) is not { } dependent)
                    {
                        continue;
                    }

                    var dependentObj = dependent.ToJsonObject();
                    var reference = OwnerReferences(dependentObj).FirstOrDefault(r => ObjectRules.Str(r["uid"]) == ownerUid);
                    blocking |= reference?["blockOwnerDeletion"] is JsonValue b && b.TryGetValue<bool>(out var block) && block;
                    if (!dependent.Terminating && Registry.Find(key.Type.Group, key.Type.Version, key.Type.Resource) is { } definition)
                    {
                        DeleteLocked(definition, dependent, new DeleteOptions { PropagationPolicy = "Foreground" });
                    }
                }

                if (!blocking || dependents.TrueForAll(k => Find(k.Type, k.Namespace, k.Name) is null))
                {
                    RemoveFinalizer(owner, ForegroundFinalizer);
                }
            }
        }
    }

    private void CollectOrphanedDependent(ObjectKey key, string goneOwnerUid)
    {
        if (Find(key.Type, key.Namespace, key.Name) is not { } dependent
            || Registry.Find(key.Type.Group, key.Type.Version, key.Type.Resource) is not { } definition)
        {
            return;
        }

        var remainingOwners = dependent.OwnerUids.Where(u => u != goneOwnerUid && _byUid.ContainsKey(u)).ToList();
        if (remainingOwners.Count > 0)
        {
            DropOwnerReference(key, goneOwnerUid);
            return;
        }

        if (!dependent.Terminating)
        {
            DeleteLocked(definition, dependent, new DeleteOptions { PropagationPolicy = "Background" });
        }
    }

    private void DropOwnerReference(ObjectKey key, string ownerUid)
    {
        if (Find(key.Type, key.Namespace, key.Name) is not { } dependent
            || Registry.Find(key.Type.Group, key.Type.Version, key.Type.Resource) is not { } definition)
        {
            return;
        }

        var obj = dependent.ToJsonObject();
        var references = OwnerReferences(obj).Where(r => ObjectRules.Str(r["uid"]) != ownerUid).Select(r => (JsonNode)r.DeepClone()).ToArray();
        var metadata = ObjectRules.Metadata(obj);
        if (references.Length == 0)
        {
            metadata.Remove("ownerReferences");
        }
        else
        {
            metadata["ownerReferences"] = new JsonArray(references);
        }

        CommitUpdate(definition, dependent, obj);
    }

    private void RemoveFinalizer(StoredObject owner, string finalizer)
    {
        var definition = Registry.Find(owner.Type.Group, owner.Type.Version, owner.Type.Resource);
        if (definition is null)
        {
            return;
        }

        var obj = owner.ToJsonObject();
        var metadata = ObjectRules.Metadata(obj);
        var remaining = (metadata["finalizers"] as JsonArray)?.Select(f => ObjectRules.Str(f)).OfType<string>().Where(f => f != finalizer).ToList() ?? [];
        if (remaining.Count == 0)
        {
            metadata.Remove("finalizers");
            Remove(definition, owner, obj);
        }
        else
        {
            metadata["finalizers"] = new JsonArray(remaining.Select(f => (JsonNode)JsonValue.Create(f)).ToArray());
            CommitUpdate(definition, owner, obj);
        }
    }

    private static IEnumerable<JsonObject> OwnerReferences(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>() ?? [];
}
