using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Validation;

/// <summary>The OpenAPI type name of a JSON value, as the apiserver names it in "must be of type" messages.</summary>
public static class JsonTypes
{
    public static string Of(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue scalar => scalar.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => IsInteger(scalar) ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };

    /// <summary>A JSON number as a double, whichever CLR type the node was built from (parsed JSON, long, int, decimal...).</summary>
    public static double ToDouble(JsonValue number)
    {
        if (number.TryGetValue<double>(out var d))
        {
            return d;
        }

        if (number.TryGetValue<long>(out var l))
        {
            return l;
        }

        if (number.TryGetValue<int>(out var i))
        {
            return i;
        }

        if (number.TryGetValue<decimal>(out var m))
        {
            return (double)m;
        }

        return number.TryGetValue<float>(out var f) ? f : double.NaN;
    }

    /// <summary>True for a JSON number without a fractional part (1 and 1.0 are both integers, as in Go's decoding).</summary>
    public static bool IsInteger(JsonValue number) =>
        number.TryGetValue<long>(out _) || number.TryGetValue<int>(out _) || (ToDouble(number) is var d && d == Math.Floor(d) && Math.Abs(d) < 9.2e18);
}
