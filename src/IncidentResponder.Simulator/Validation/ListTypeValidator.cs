using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Validation;

/// <summary>
/// Enforces <c>x-kubernetes-list-type</c>: items of a <c>set</c> are unique, items of a <c>map</c> are unique by their
/// <c>x-kubernetes-list-map-keys</c>. JSON Schema has no such keyword, so the apiserver checks these itself too.
/// </summary>
public static class ListTypeValidator
{
    public static IReadOnlyList<FieldError> Validate(JsonObject schema, JsonNode? document)
    {
        var errors = new List<FieldError>();
        Walk(schema, document, "", errors);
        return errors;
    }

    private static void Walk(JsonObject? schema, JsonNode? value, string path, List<FieldError> errors)
    {
        switch (value)
        {
            case JsonObject obj:
                foreach (var (name, member) in obj)
                {
                    Walk(SchemaNavigation.Property(schema, name), member, SchemaNavigation.Member(path, schema, name), errors);
                }

                break;
            case JsonArray array:
                CheckUnique(schema, array, path, errors);
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(SchemaNavigation.Items(schema), array[i], SchemaNavigation.Index(path, i), errors);
                }

                break;
        }
    }

    private static void CheckUnique(JsonObject? schema, JsonArray array, string path, List<FieldError> errors)
    {
        switch (SchemaNavigation.Text(schema, "x-kubernetes-list-type"))
        {
            case "set":
                for (var i = 0; i < array.Count; i++)
                {
                    if (Enumerable.Range(0, i).Any(j => JsonNode.DeepEquals(array[i], array[j])))
                    {
                        errors.Add(new FieldError(FieldErrorType.Duplicate, SchemaNavigation.Index(path, i), FieldError.FormatValue(array[i]), ""));
                    }
                }

                break;
            case "map":
                var keys = (schema?["x-kubernetes-list-map-keys"] as JsonArray ?? []).Select(k => k!.GetValue<string>()).ToList();
                var seen = new List<JsonObject>();
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is not JsonObject item)
                    {
                        continue;
                    }

                    var key = new JsonObject(keys.Where(item.ContainsKey).Select(k => KeyValuePair.Create(k, item[k]?.DeepClone())));
                    if (seen.Any(previous => JsonNode.DeepEquals(previous, key)))
                    {
                        errors.Add(new FieldError(FieldErrorType.Duplicate, SchemaNavigation.Index(path, i), GoMap(key), ""));
                    }

                    seen.Add(key);
                }

                break;
        }
    }

    /// <summary>The key fields as Go prints a map[string]interface{} with %#v.</summary>
    private static string GoMap(JsonObject key) =>
        "map[string]interface {}{" + string.Join(", ", key.Select(pair => $"{FieldError.Quote(pair.Key)}:{FieldError.FormatValue(pair.Value)}")) + "}";
}
