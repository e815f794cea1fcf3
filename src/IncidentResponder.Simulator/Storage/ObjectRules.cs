using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IncidentResponder.Simulator.Storage;

/// <summary>
/// The registry strategies of kube-apiserver, per kind: which metadata the server owns, how status and spec are
/// isolated between the main resource and <c>/status</c>, and when <c>metadata.generation</c> moves.
/// </summary>
internal static partial class ObjectRules
{
    private const string GenerateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata)
        {
            return metadata;
        }

        metadata = new JsonObject();
        obj["metadata"] = metadata;
        return metadata;
    }

    public static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Fills the server-owned metadata of a new object (FillObjectMetaSystemFields + strategy PrepareForCreate).</summary>
    public static void PrepareForCreate(ResourceDefinition definition, JsonObject obj, DateTimeOffset now)
    {
        var metadata = Metadata(obj);
        if (string.IsNullOrEmpty(Str(metadata["name"])) && Str(metadata["generateName"]) is { Length: > 0 } prefix)
        {
            var suffix = new char[5];
            for (var i = 0; i < suffix.Length; i++)
            {
                suffix[i] = GenerateNameAlphabet[Random.Shared.Next(GenerateNameAlphabet.Length)];
            }

            metadata["name"] = prefix + new string(suffix);
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Timestamp(now);
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        metadata.Remove("selfLink");
        metadata.Remove("managedFields");
        if (!definition.Type.Namespaced)
        {
            metadata.Remove("namespace");
        }

        if (definition.Generation == GenerationPolicy.None)
        {
            metadata.Remove("generation");
        }
        else
        {
            metadata["generation"] = 1;
        }

        if (definition.HasStatus)
        {
            switch (definition.Type.Kind)
            {
                case "Pod" when definition.Type.Group.Length == 0:
                    obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = PodQosClass(obj) };
                    break;
                case "Namespace" when definition.Type.Group.Length == 0:
                    obj["status"] = new JsonObject { ["phase"] = "Active" };
                    break;
                case "Node" when definition.Type.Group.Length == 0:
                    break; // the kubelet registers its node with a status
                case "Deployment" or "ReplicaSet" when definition.Type.Group == "apps":
                    // The strategies reset status to the zero struct, which Go serializes as {} (omitempty skips no struct).
                    obj["status"] = new JsonObject();
                    break;
                default:
                    obj.Remove("status");
                    break;
            }
        }
    }

    /// <summary>
    /// Builds the object to store from a PUT body and the stored object: server-owned metadata is kept, and spec and
    /// status are isolated between the main resource and <c>/status</c>.
    /// </summary>
    public static JsonObject PrepareForUpdate(ResourceDefinition definition, JsonObject incoming, JsonObject old, bool statusSubresource)
    {
        JsonObject result;
        if (statusSubresource)
        {
            // /status changes status only (customresource status_strategy copies the whole old object; the built-in
            // status strategies keep spec and labels): take the old object and its new status.
            result = old.DeepClone().AsObject();
            if (incoming["status"] is { } status)
            {
                result["status"] = status.DeepClone();
            }
            else
            {
                result.Remove("status");
            }

            // The built-in status strategies let metadata other than labels change (e.g. annotations), CRs do not.
            if (!definition.IsCustom && incoming["metadata"]?["annotations"] is { } annotations)
            {
                Metadata(result)["annotations"] = annotations.DeepClone();
            }
        }
        else
        {
            result = incoming;
            if (definition.HasStatus)
            {
                if (old["status"] is { } oldStatus)
                {
                    result["status"] = oldStatus.DeepClone();
                }
                else
                {
                    result.Remove("status");
                }
            }
        }

        var metadata = Metadata(result);
        var oldMetadata = Metadata(old);
        foreach (var owned in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            if (oldMetadata[owned] is { } value)
            {
                metadata[owned] = value.DeepClone();
            }
            else
            {
                metadata.Remove(owned);
            }
        }

        metadata.Remove("selfLink");
        metadata.Remove("managedFields");
        return result;
    }

    /// <summary>Bumps <c>metadata.generation</c> when the kind's strategy says the change is a new desired state.</summary>
    public static void UpdateGeneration(ResourceDefinition definition, JsonObject obj, JsonObject old)
    {
        var changed = definition.Generation switch
        {
            GenerationPolicy.Spec => !JsonNode.DeepEquals(obj["spec"], old["spec"]),
            GenerationPolicy.SpecOrAnnotations => !JsonNode.DeepEquals(obj["spec"], old["spec"])
                || !JsonNode.DeepEquals(obj["metadata"]?["annotations"], old["metadata"]?["annotations"]),
            GenerationPolicy.AllButMetadata => obj.Any(p => p.Key is not ("metadata" or "kind" or "apiVersion") && !(definition.HasStatus && p.Key == "status") && !JsonNode.DeepEquals(p.Value, old[p.Key]))
                || old.Any(p => p.Key is not ("metadata" or "kind" or "apiVersion") && !(definition.HasStatus && p.Key == "status") && !obj.ContainsKey(p.Key)),
            _ => false,
        };
        if (changed && old["metadata"]?["generation"] is JsonValue g && g.TryGetValue<long>(out var generation))
        {
            Metadata(obj)["generation"] = generation + 1;
        }
    }

    /// <summary>ObjectMeta validation on create: a name (or generateName) that is a valid DNS-1123 name.</summary>
    public static List<FieldCause> ValidateName(ResourceDefinition definition, JsonObject obj)
    {
        var causes = new List<FieldCause>();
        var name = Str(obj["metadata"]?["name"]);
        if (string.IsNullOrEmpty(name))
        {
            causes.Add(new FieldCause("FieldValueRequired", "Required value: name or generateName is required", "metadata.name"));
            return causes;
        }

        var isLabel = definition.Type.Resource == "namespaces";
        var valid = name.Length <= (isLabel ? 63 : 253) && (isLabel ? Dns1123Label() : Dns1123Subdomain()).IsMatch(name);
        if (!valid)
        {
            var rule = isLabel
                ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
                : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
            causes.Add(new FieldCause("FieldValueInvalid", $"Invalid value: \"{name}\": {rule}", "metadata.name"));
        }

        return causes;
    }

    /// <summary>Pod QoS class from container resources (Guaranteed / Burstable / BestEffort), as PrepareForCreate sets it.</summary>
    private static string PodQosClass(JsonObject pod)
    {
        var containers = (pod["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var anyResources = false;
        var allGuaranteed = containers.Count > 0;
        foreach (var container in containers)
        {
            var requests = container["resources"]?["requests"] as JsonObject;
            var limits = container["resources"]?["limits"] as JsonObject;
            anyResources |= (requests?.Count ?? 0) > 0 || (limits?.Count ?? 0) > 0;
            var guaranteed = limits?["cpu"] is not null && limits["memory"] is not null
                && (requests is null || ((requests["cpu"] is null || JsonNode.DeepEquals(requests["cpu"], limits["cpu"]))
                    && (requests["memory"] is null || JsonNode.DeepEquals(requests["memory"], limits["memory"]))));
            allGuaranteed &= guaranteed;
        }

        return !anyResources ? "BestEffort" : allGuaranteed ? "Guaranteed" : "Burstable";
    }
}
