using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Patching;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.GitOps;

/// <summary>One manifest from git next to its live object: where it goes and whether the live object has drifted.</summary>
public sealed record ManagedObject(ResourceType Type, string? Namespace, string Name, JsonObject Desired, JsonObject? Live)
{
    /// <summary>The live object is missing, or a field git declares has another value live.</summary>
    public bool OutOfSync => Live is null || !LiveObjects.Declares(Desired, Live);

    /// <summary>The API group ("" for core).</summary>
    public string Group => Type.Group;
}

/// <summary>
/// Comparing and applying git manifests against the live cluster, as the GitOps tools' server-side apply does in
/// effect: only the fields a manifest declares count and are written; fields others set (status, defaults, labels a
/// controller adds) are left alone. Lists of named items (containers, env, ports...) are matched by their merge key.
/// </summary>
public static class LiveObjects
{
    /// <summary>The served resource of a manifest's <c>apiVersion</c> and <c>kind</c>.</summary>
    public static ResourceType Resolve(ClusterStore store, JsonObject manifest)
    {
        var apiVersion = ObjectRules.Str(manifest["apiVersion"]) ?? string.Empty;
        var kind = ObjectRules.Str(manifest["kind"]) ?? string.Empty;
        return store.Registry.All.Select(d => d.Type).FirstOrDefault(t => t.ApiVersion == apiVersion && t.Kind == kind)
            ?? throw new GitException($"the server could not find the requested resource: no matches for kind \"{kind}\" in version \"{apiVersion}\"");
    }

    /// <summary>Pairs each manifest with its live object; namespaced manifests without a namespace go to <paramref name="defaultNamespace"/>.</summary>
    public static ManagedObject Pair(ClusterStore store, JsonObject manifest, string? defaultNamespace)
    {
        var desired = manifest.DeepClone().AsObject();
        var type = Resolve(store, desired);
        var metadata = desired["metadata"] as JsonObject ?? [];
        desired["metadata"] = metadata;
        string? ns = null;
        if (type.Namespaced)
        {
            ns = ObjectRules.Str(metadata["namespace"]) is { Length: > 0 } declared ? declared : defaultNamespace;
            if (string.IsNullOrEmpty(ns))
            {
                throw new GitException($"{type.Kind}/{ObjectRules.Str(metadata["name"])}: namespace not specified");
            }

            metadata["namespace"] = ns;
        }
        else
        {
            metadata.Remove("namespace");
        }

        var name = ObjectRules.Str(metadata["name"]) ?? throw new GitException($"a {type.Kind} manifest has no metadata.name");
        return new ManagedObject(type, ns, name, desired, store.Get(type, ns, name));
    }

    /// <summary>Every field of <paramref name="desired"/> has the same value in <paramref name="live"/>.</summary>
    public static bool Declares(JsonNode? desired, JsonNode? live) => (desired, live) switch
    {
        (JsonObject d, JsonObject l) => d.All(kv => kv.Key == "status" || (l.TryGetPropertyValue(kv.Key, out var value) ? Declares(kv.Value, value) : kv.Value is null)),
        (JsonArray d, JsonArray l) => DeclaresList(d, l),
        (JsonValue d, JsonValue l) => JsonNode.DeepEquals(d, l) || d.ToJsonString() == l.ToJsonString() || (ObjectRules.Str(d) is { } s && s == l.ToJsonString()),
        (null, null) => true,
        _ => false,
    };

    /// <summary>Creates the object, or writes the fields git declares over the live object.</summary>
    public static JsonObject Apply(ClusterStore store, ManagedObject managed)
    {
        for (var attempt = 0; ; attempt++)
        {
            var live = store.Get(managed.Type, managed.Namespace, managed.Name);
            if (live is null)
            {
                return store.Create(managed.Type, managed.Desired.DeepClone().AsObject());
            }

            var desired = managed.Desired.DeepClone().AsObject();
            desired.Remove("status");
            var merged = store.Registry.Get(managed.Type).IsCustom
                ? JsonMergePatch.Apply(live, desired)!.AsObject()
                : StrategicMergePatch.Apply(live, desired);
            merged["metadata"]!["resourceVersion"] = live["metadata"]?["resourceVersion"]?.DeepClone();
            try
            {
                return store.Update(managed.Type, merged);
            }
            catch (StoreException conflict) when (conflict.Code == 409 && attempt < 5)
            {
                // Someone wrote between our read and write: apply to the new version, as SSA does on the server.
            }
        }
    }

    private static bool DeclaresList(JsonArray desired, JsonArray live)
    {
        if (desired.All(item => item is JsonObject o && ObjectRules.Str(o["name"]) is not null))
        {
            return desired.OfType<JsonObject>().All(item =>
                live.OfType<JsonObject>().FirstOrDefault(l => ObjectRules.Str(l["name"]) == ObjectRules.Str(item["name"])) is { } match && Declares(item, match));
        }

        return desired.Count == live.Count && desired.Select((item, i) => Declares(item, live[i])).All(same => same);
    }
}
