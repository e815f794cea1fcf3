using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Storage;

/// <summary>Extracts the field-selector values of an object (kube's <c>GetAttrs</c> / field label conversion funcs).</summary>
internal static class FieldLabels
{
    public static Dictionary<string, string> Extract(ResourceDefinition definition, JsonObject obj)
    {
        var metadata = obj["metadata"] as JsonObject;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["metadata.name"] = Text(metadata?["name"]),
        };
        if (definition.Type.Namespaced)
        {
            fields["metadata.namespace"] = Text(metadata?["namespace"]);
        }

        foreach (var label in definition.FieldLabels)
        {
            fields[label] = label switch
            {
                // Go formats bools as "true"/"false"; absent bools are false.
                "spec.hostNetwork" or "spec.unschedulable" => Text(Lookup(obj, label)) is { Length: > 0 } b ? b : "false",
                "source" => Text(Lookup(obj, "source.component")),
                _ => Text(Lookup(obj, label)),
            };
        }

        return fields;
    }

    public static Dictionary<string, string> Labels(JsonObject obj)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"]?["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                result[key] = Text(value);
            }
        }

        return result;
    }

    private static JsonNode? Lookup(JsonObject obj, string dottedPath)
    {
        JsonNode? node = obj;
        foreach (var part in dottedPath.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node;
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };
}
