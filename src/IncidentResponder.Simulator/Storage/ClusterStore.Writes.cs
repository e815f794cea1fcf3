using System.Globalization;
using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Storage;

/// <summary>The write path: preconditions, server-set metadata, optimistic concurrency, status isolation and admission, then the commit.</summary>
public sealed partial class ClusterStore
{
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

    private JsonObject CreateLocked(ResourceDefinition definition, JsonObject obj, WriteOptions options)
    {
        var type = definition.Type;
        ObjectMetaTypes.Check(definition, obj);
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
        ObjectMetaTypes.Check(definition, obj);
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
}
