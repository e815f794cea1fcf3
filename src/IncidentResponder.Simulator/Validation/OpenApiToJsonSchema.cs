using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Validation;

/// <summary>
/// Translates a CRD's OpenAPI v3 schema (the structural subset Kubernetes allows) into JSON Schema 2020-12, so a
/// standard validator can evaluate it. The translation keeps the tree's shape (properties, items,
/// additionalProperties, anyOf...), so a path into one is a path into the other.
/// </summary>
public static class OpenApiToJsonSchema
{
    // Keywords whose meaning is the same in OpenAPI v3 and JSON Schema 2020-12.
    private static readonly HashSet<string> SameMeaning =
    [
        "type", "enum", "required", "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems",
        "pattern", "uniqueItems", "multipleOf", "minProperties", "maxProperties",
    ];

    // Formats JSON Schema validators know and kube-openapi checks; others (int32, int64, byte...) are annotations here.
    private static readonly HashSet<string> CheckedFormats = ["date-time", "date", "email", "uuid", "ipv4", "ipv6", "hostname", "uri"];

    public static JsonObject Translate(JsonObject openApi)
    {
        var result = new JsonObject();
        foreach (var (keyword, value) in openApi)
        {
            switch (keyword)
            {
                case var same when SameMeaning.Contains(same):
                    result[keyword] = value?.DeepClone();
                    break;
                case "format" when value?.GetValue<string>() is { } format && CheckedFormats.Contains(format):
                    result["format"] = format;
                    break;
                case "properties" when value is JsonObject properties:
                    result["properties"] = TranslateEach(properties);
                    break;
                case "patternProperties" when value is JsonObject patternProperties:
                    result["patternProperties"] = TranslateEach(patternProperties);
                    break;
                case "items" when value is JsonObject items:
                    result["items"] = Translate(items);
                    break;
                case "additionalProperties" when value is JsonObject additional:
                    result["additionalProperties"] = Translate(additional);
                    break;
                case "additionalProperties":
                    result["additionalProperties"] = value?.DeepClone();
                    break;
                case "not" when value is JsonObject not:
                    result["not"] = Translate(not);
                    break;
                case "allOf" or "anyOf" or "oneOf" when value is JsonArray branches:
                    result[keyword] = new JsonArray([.. branches.Select(branch => (JsonNode)Translate((JsonObject)branch!))]);
                    break;

                // OpenAPI v3.0's boolean exclusive bounds become 2020-12's numeric ones.
                case "exclusiveMinimum" when SchemaNavigation.Flag(openApi, keyword) && openApi["minimum"] is { } minimum:
                    result.Remove("minimum");
                    result["exclusiveMinimum"] = minimum.DeepClone();
                    break;
                case "exclusiveMaximum" when SchemaNavigation.Flag(openApi, keyword) && openApi["maximum"] is { } maximum:
                    result.Remove("maximum");
                    result["exclusiveMaximum"] = maximum.DeepClone();
                    break;

                // Everything else (description, default, example, x-kubernetes-*) does not validate here; the
                // x-kubernetes-* extensions that do are enforced by ListTypeValidator and CelRuleValidator.
            }
        }

        // The exclusive forms replace the inclusive bounds even when they were copied before them.
        if (result.ContainsKey("exclusiveMinimum"))
        {
            result.Remove("minimum");
        }

        if (result.ContainsKey("exclusiveMaximum"))
        {
            result.Remove("maximum");
        }

        if (SchemaNavigation.Flag(openApi, "x-kubernetes-int-or-string"))
        {
            result.Remove("type");
            result["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" });
        }

        if (SchemaNavigation.Flag(openApi, "nullable") && result["type"] is JsonValue type)
        {
            result["type"] = new JsonArray(type.GetValue<string>(), "null");
            if (result["enum"] is JsonArray values && !values.Any(v => v is null))
            {
                values.Add(null);
            }
        }

        return result;
    }

    private static JsonObject TranslateEach(JsonObject schemas)
    {
        var result = new JsonObject();
        foreach (var (name, schema) in schemas)
        {
            result[name] = Translate((JsonObject)schema!);
        }

        return result;
    }
}
