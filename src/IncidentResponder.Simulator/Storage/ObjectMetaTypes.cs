using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Storage;

/// <summary>
/// kube-apiserver decodes <c>metadata</c> into the typed ObjectMeta before anything else, so a label that is a number,
/// finalizers that are not a list of strings or a generation in quotes never reach storage: the request fails with a
/// 400 naming the field (<c>json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type
/// string</c>). Without this check the simulator stored such objects and every client's typed watch then failed on them.
/// </summary>
internal static class ObjectMetaTypes
{
    private enum Shape
    {
        String,
        Integer,
        StringMap,
        StringList,
        ObjectList,
    }

    private static readonly Dictionary<string, Shape> Fields = new(StringComparer.Ordinal)
    {
        ["name"] = Shape.String, ["generateName"] = Shape.String, ["namespace"] = Shape.String, ["selfLink"] = Shape.String,
        ["uid"] = Shape.String, ["resourceVersion"] = Shape.String, ["creationTimestamp"] = Shape.String, ["deletionTimestamp"] = Shape.String,
        ["generation"] = Shape.Integer, ["deletionGracePeriodSeconds"] = Shape.Integer,
        ["labels"] = Shape.StringMap, ["annotations"] = Shape.StringMap,
        ["finalizers"] = Shape.StringList, ["ownerReferences"] = Shape.ObjectList, ["managedFields"] = Shape.ObjectList,
    };

    public static void Check(ResourceDefinition definition, JsonObject obj)
    {
        var kind = definition.Type.Kind;
        var prefix = $"{kind} in version \"{definition.Type.Version}\" cannot be handled as a {kind}: json: cannot unmarshal";
        switch (obj["metadata"])
        {
            case null:
                return;
            case JsonObject:
                break;
            case var other:
                throw ApiErrors.BadRequest($"{prefix} {GoType(other)} into Go struct field {kind}.metadata of type v1.ObjectMeta");
        }

        foreach (var (key, value) in obj["metadata"]!.AsObject())
        {
            if (value is not null && Fields.TryGetValue(key, out var shape) && Mismatch(value, shape) is { } wrong)
            {
                throw ApiErrors.BadRequest($"{prefix} {GoType(wrong.Value)} into Go struct field ObjectMeta.metadata.{key} of type {wrong.Expected}");
            }
        }
    }

    /// <summary>The value, or the first member or element of it, that does not fit; null when everything does.</summary>
    private static (JsonNode? Value, string Expected)? Mismatch(JsonNode value, Shape shape) => shape switch
    {
        Shape.String => IsKind(value, JsonValueKind.String) ? null : (value, "string"),
        Shape.Integer => value is JsonValue v && v.TryGetValue<long>(out _) ? null : (value, "int64"),
        Shape.StringMap => value is JsonObject map
            ? map.Where(p => p.Value is not null && !IsKind(p.Value, JsonValueKind.String)).Select(p => ((JsonNode?, string)?)(p.Value, "string")).FirstOrDefault()
            : (value, "map[string]string"),
        Shape.StringList => value is JsonArray list
            ? list.Where(e => e is not null && !IsKind(e, JsonValueKind.String)).Select(e => ((JsonNode?, string)?)(e, "string")).FirstOrDefault()
            : (value, "[]string"),
        _ => value is JsonArray objects
            ? objects.Where(e => e is not JsonObject).Select(e => ((JsonNode?, string)?)(e, "object")).FirstOrDefault()
            : (value, "[]object"),
    };

    private static bool IsKind(JsonNode? node, JsonValueKind kind) => node?.GetValueKind() == kind;

    /// <summary>The word Go's decoder uses for the JSON it found.</summary>
    private static string GoType(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "null",
    };
}
