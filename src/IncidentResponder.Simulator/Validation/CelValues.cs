using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Validation;

/// <summary>
/// Converts JSON to the values the Cel library evaluates, typed by the schema as Kubernetes types them for CEL:
/// objects become maps (so <c>has(self.x)</c> tests presence), arrays lists, integers int64, numbers double,
/// <c>format: date-time</c> strings timestamps. Nulls are left out, as the apiserver drops them before validation.
/// </summary>
internal static class CelValues
{
    public static object? From(JsonNode? value, JsonObject? schema) => value switch
    {
        null => null,
        JsonObject obj => FromObject(obj, schema),
        JsonArray array => array.Select(item => From(item, SchemaNavigation.Items(schema))).ToArray(),
        JsonValue scalar => FromScalar(scalar, schema),
        _ => null,
    };

    private static Dictionary<string, object?> FromObject(JsonObject obj, JsonObject? schema)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, member) in obj)
        {
            if (member is not null)
            {
                map[name] = From(member, SchemaNavigation.Property(schema, name));
            }
        }

        return map;
    }

    private static object? FromScalar(JsonValue scalar, JsonObject? schema)
    {
        switch (scalar.GetValueKind())
        {
            case JsonValueKind.String:
                var text = scalar.GetValue<string>();
                return SchemaNavigation.Text(schema, "format") == "date-time"
                    && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp)
                        ? timestamp
                        : text;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                var type = SchemaNavigation.Text(schema, "type");
                if (type == "number" || (type is null && !JsonTypes.IsInteger(scalar)))
                {
                    return JsonTypes.ToDouble(scalar);
                }

                return scalar.TryGetValue<long>(out var integer) ? integer : (long)JsonTypes.ToDouble(scalar);
            default:
                return null;
        }
    }
}
