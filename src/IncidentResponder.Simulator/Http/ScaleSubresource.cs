using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Http;

/// <summary>The <c>scale</c> subresource: an <c>autoscaling/v1 Scale</c> view of a Deployment's or ReplicaSet's replicas.</summary>
internal static class ScaleSubresource
{
    public static JsonObject FromObject(JsonObject obj)
    {
        var metadata = obj["metadata"] as JsonObject;
        var scaleMetadata = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            if (metadata?[field] is { } value)
            {
                scaleMetadata[field] = value.DeepClone();
            }
        }

        var spec = new JsonObject();
        if (obj["spec"]?["replicas"] is JsonValue replicas && replicas.TryGetValue<long>(out var desired) && desired != 0)
        {
            spec["replicas"] = desired;
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = scaleMetadata,
            ["spec"] = spec,
            ["status"] = new JsonObject
            {
                ["replicas"] = obj["status"]?["replicas"] is JsonValue r && r.TryGetValue<long>(out var current) ? current : 0,
                ["selector"] = SelectorString(obj["spec"]?["selector"]),
            },
        };
    }

    /// <summary>The object with <c>spec.replicas</c> from a Scale; a Scale carrying a resourceVersion makes the update conditional.</summary>
    public static JsonObject ApplyReplicas(JsonObject obj, JsonObject scale)
    {
        var updated = obj.DeepClone().AsObject();
        var replicas = scale["spec"]?["replicas"] is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
        if (replicas < 0)
        {
            throw ApiErrors.Invalid("Scale.autoscaling", "autoscaling", "Scale", ObjectRules.Str(obj["metadata"]?["name"]) ?? string.Empty,
                [new FieldCause("FieldValueInvalid", string.Create(CultureInfo.InvariantCulture, $"Invalid value: {replicas}: must be greater than or equal to 0"), "spec.replicas")]);
        }

        if (updated["spec"] is not JsonObject spec)
        {
            updated["spec"] = spec = new JsonObject();
        }

        spec["replicas"] = replicas;
        var metadata = ObjectRules.Metadata(updated);
        if (ObjectRules.Str(scale["metadata"]?["resourceVersion"]) is { Length: > 0 } version)
        {
            metadata["resourceVersion"] = version;
        }

        return updated;
    }

    public static string SelectorString(JsonNode? selector)
    {
        var parts = new List<string>();
        if (selector?["matchLabels"] is JsonObject labels)
        {
            parts.AddRange(labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={ObjectRules.Str(p.Value)}"));
        }

        if (selector?["matchExpressions"] is JsonArray expressions)
        {
            foreach (var e in expressions.OfType<JsonObject>())
            {
                var key = ObjectRules.Str(e["key"]);
                var values = string.Join(',', (e["values"] as JsonArray)?.Select(ObjectRules.Str) ?? []);
                parts.Add(ObjectRules.Str(e["operator"]) switch
                {
                    "In" => $"{key} in ({values})",
                    "NotIn" => $"{key} notin ({values})",
                    "Exists" => key!,
                    _ => $"!{key}",
                });
            }
        }

        return string.Join(',', parts);
    }
}
