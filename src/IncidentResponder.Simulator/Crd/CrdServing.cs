using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Crd;

/// <summary>
/// What the apiextensions-apiserver does for CRDs: checks and accepts names (NamesAccepted/Established conditions),
/// serves every served version of an established CRD the moment it is stored (discovery included), and stops
/// serving it when the CRD is deleted.
/// </summary>
internal sealed class CrdServing : IAdmissionStep
{
    private readonly ResourceRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, IReadOnlyList<ResourceType>> _servedByCrd = new(StringComparer.Ordinal);

    public CrdServing(ClusterStore store)
    {
        _registry = store.Registry;
        _time = store.Time;
        store.AddCommitObserver(OnCommit);
    }

    public void Admit(AdmissionContext context, JsonObject obj, JsonObject? old)
    {
        if (context.Definition.Type != BuiltinResources.CustomResourceDefinitions || context.Subresource is not null)
        {
            return;
        }

        var name = ObjectRules.Str(obj["metadata"]?["name"]) ?? string.Empty;
        var spec = obj["spec"] as JsonObject;
        var group = ObjectRules.Str(spec?["group"]) ?? string.Empty;
        var names = spec?["names"] as JsonObject;
        var plural = ObjectRules.Str(names?["plural"]) ?? string.Empty;
        var kind = ObjectRules.Str(names?["kind"]) ?? string.Empty;
        var causes = new List<FieldCause>();
        if (name != $"{plural}.{group}")
        {
            causes.Add(new FieldCause("FieldValueInvalid", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group", "metadata.name"));
        }

        if (kind.Length == 0)
        {
            causes.Add(new FieldCause("FieldValueRequired", "Required value", "spec.names.kind"));
        }

        var versions = (spec?["versions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (versions.Count(v => v["storage"] is JsonValue s && s.TryGetValue<bool>(out var b) && b) != 1)
        {
            causes.Add(new FieldCause("FieldValueInvalid", "Invalid value: []apiextensions.CustomResourceDefinitionVersion(nil): must have exactly one version marked as storage version", "spec.versions"));
        }

        if (causes.Count > 0)
        {
            throw ApiErrors.Invalid(context.Definition, name, causes);
        }

        // Defaults of the v1 CRD API.
        foreach (var version in versions)
        {
            if (version["schema"]?["openAPIV3Schema"] is null)
            {
                causes.Add(new FieldCause("FieldValueRequired", "Required value: schemas are required", $"spec.versions[{versions.IndexOf(version)}].schema.openAPIV3Schema"));
            }
        }

        if (causes.Count > 0)
        {
            throw ApiErrors.Invalid(context.Definition, name, causes);
        }

        names!["singular"] ??= kind.ToLowerInvariant();
        names["listKind"] ??= kind + "List";
        spec!["conversion"] ??= new JsonObject { ["strategy"] = "None" };

        var now = ObjectRules.Timestamp(_time.GetUtcNow());
        var storage = versions.First(v => v["storage"] is JsonValue s && s.GetValue<bool>());
        obj["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now)),
            ["acceptedNames"] = names.DeepClone(),
            ["storedVersions"] = new JsonArray(ObjectRules.Str(storage["name"])),
        };
    }

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = now,
        ["reason"] = reason,
        ["message"] = message,
    };

    private void OnCommit(WatchEvent change)
    {
        if (change.Object.Type != BuiltinResources.CustomResourceDefinitions)
        {
            return;
        }

        if (_servedByCrd.TryRemove(change.Object.Name, out var previous))
        {
            foreach (var type in previous)
            {
                _registry.Remove(type);
            }
        }

        if (change.Type == WatchEventType.Deleted)
        {
            return;
        }

        var crd = change.Object.ToJsonObject();
        var spec = crd["spec"]!.AsObject();
        var names = spec["names"]!.AsObject();
        var served = new List<ResourceType>();
        foreach (var version in (spec["versions"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (version["served"] is JsonValue s && s.TryGetValue<bool>(out var isServed) && !isServed)
            {
                continue;
            }

            var type = new ResourceType(
                ObjectRules.Str(spec["group"])!,
                ObjectRules.Str(version["name"])!,
                ObjectRules.Str(names["plural"])!,
                ObjectRules.Str(names["kind"])!,
                ObjectRules.Str(spec["scope"]) != "Cluster");
            _registry.Add(new ResourceDefinition
            {
                Type = type,
                Singular = ObjectRules.Str(names["singular"]) ?? type.Kind.ToLowerInvariant(),
                ShortNames = Strings(names["shortNames"]),
                Categories = Strings(names["categories"]),
                HasStatus = version["subresources"]?["status"] is not null,
                Generation = GenerationPolicy.AllButMetadata,
                AllowUnconditionalUpdate = false,
                IsCustom = true,
                CrdVersion = version.DeepClone().AsObject(),
                Crd = crd,
            });
            served.Add(type);
        }

        _servedByCrd[change.Object.Name] = served;
    }

    private static List<string> Strings(JsonNode? node) => (node as JsonArray)?.Select(ObjectRules.Str).OfType<string>().ToList() ?? [];
}
