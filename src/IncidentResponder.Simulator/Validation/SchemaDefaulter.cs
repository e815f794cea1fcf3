using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Validation;

/// <summary>
/// Structural defaulting, as the apiserver applies it when decoding a custom resource: a missing property whose schema
/// has a <c>default</c> gets a copy of it, top-down, so defaults inside a defaulted object apply too. A null in a
/// non-nullable field counts as missing (and is dropped when there is no default), as the apiserver does.
/// Defaults apply only inside objects that exist: a default for <c>spec.verify.window</c> does nothing without <c>spec.verify</c>.
/// </summary>
public static class SchemaDefaulter
{
    /// <summary>Applies defaults to <paramref name="document"/> in place.</summary>
    public static void Apply(JsonObject schema, JsonNode? document) => Default(schema, document);

    private static void Default(JsonObject? schema, JsonNode? value)
    {
        switch (value)
        {
            case JsonObject obj:
                DefaultObject(schema, obj);
                break;
            case JsonArray array when SchemaNavigation.Items(schema) is { } items:
                foreach (var item in array)
                {
                    Default(items, item);
                }

                break;
        }
    }

    private static void DefaultObject(JsonObject? schema, JsonObject obj)
    {
        if (schema?["properties"] is JsonObject properties)
        {
            foreach (var (name, propertyNode) in properties)
            {
                if (propertyNode is not JsonObject property)
                {
                    continue;
                }

                var isNull = obj.TryGetPropertyValue(name, out var current) && current is null;
                if (isNull && SchemaNavigation.Flag(property, "nullable"))
                {
                    continue;
                }

                if (!obj.ContainsKey(name) || isNull)
                {
                    if (property.ContainsKey("default"))
                    {
                        obj[name] = property["default"]?.DeepClone();
                    }
                    else if (isNull)
                    {
                        obj.Remove(name);
                    }
                }
            }
        }

        foreach (var (name, member) in obj.ToList())
        {
            Default(SchemaNavigation.Property(schema, name), member);
        }
    }
}
