using System.Text.Json.Nodes;

namespace IncidentResponder.Operator.Actions;

/// <summary>RFC 6902 operations, as the actions' conditional patches write them.</summary>
internal static class JsonPatchOps
{
    public static JsonObject Operation(string op, string path, JsonNode? value) => new()
    {
        ["op"] = op,
        ["path"] = path,
        ["value"] = value,
    };
}
