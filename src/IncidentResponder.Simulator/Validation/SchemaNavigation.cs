using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Validation;

/// <summary>Steps through a structural schema alongside a document, and names fields as the apiserver does.</summary>
public static class SchemaNavigation
{
    /// <summary>The schema of property <paramref name="name"/> of an object: from properties, else additionalProperties.</summary>
    public static JsonObject? Property(JsonObject? schema, string name)
    {
        if (schema?["properties"] is JsonObject properties && properties[name] is JsonObject property)
        {
            return property;
        }

        return schema?["additionalProperties"] as JsonObject;
    }

    /// <summary>True when the object's keys are map keys (additionalProperties), not named fields.</summary>
    public static bool IsMap(JsonObject? schema) => schema?["properties"] is null && schema?["additionalProperties"] is JsonObject;

    public static JsonObject? Items(JsonObject? schema) => schema?["items"] as JsonObject;

    public static bool Flag(JsonObject? schema, string keyword) => schema?[keyword] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    public static string? Text(JsonObject? schema, string keyword) => schema?[keyword] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>field.Path.Child: <c>spec.steps</c>.</summary>
    public static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>field.Path.Index: <c>spec.steps[2]</c>.</summary>
    public static string Index(string path, int index) => $"{path}[{index}]";

    /// <summary>field.Path.Key: <c>metadata.labels[app]</c>.</summary>
    public static string Key(string path, string key) => $"{path}[{key}]";

    /// <summary>The field path of a member of an object, named as a field or as a map key depending on the schema.</summary>
    public static string Member(string path, JsonObject? objectSchema, string name) =>
        IsMap(objectSchema) ? Key(path, name) : Child(path, name);
}
