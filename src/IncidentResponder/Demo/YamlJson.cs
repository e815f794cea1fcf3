using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.GitOps;
using k8s;

namespace IncidentResponder.Demo;

/// <summary>
/// YAML ↔ JSON without the API types in between. The types' enums carry JSON names (SEV-3) that YAML serializers
/// do not know, so objects go to the API server as the JSON the YAML means, and come back as the JSON it stored.
/// </summary>
internal static class YamlJson
{
    private static readonly string[] TimestampFormats = ["yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-ddTHH:mm:ss.FFFFFFFZ"];

    /// <summary>Every document of a YAML stream, as JSON objects.</summary>
    public static IReadOnlyList<JsonObject> Documents(string yaml) => YamlDocuments.Parse(yaml);

    /// <summary>
    /// The YAML kubectl -o yaml prints for a JSON object: strings that would read back as another type (numbers,
    /// booleans, timestamps) are quoted.
    /// </summary>
    public static string ToYaml(JsonNode node) => KubernetesYaml.Serialize(ToPlain(node));

    private static object? ToPlain(JsonNode? node) => node switch
    {
        // kubectl prints map keys sorted, as Go's YAML encoder does.
        JsonObject map => map.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => ToPlain(kv.Value)),
        JsonArray list => list.Select(ToPlain).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => Scalar(value.GetValue<string>()),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetValue<long>(out var integer) => integer,
            JsonValueKind.Number => value.GetValue<double>(),
            _ => null,
        },
        _ => null,
    };

    // A timestamp string goes out as a DateTime so the Kubernetes YAML converter quotes it, as kubectl does.
    private static object Scalar(string text) =>
        DateTime.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : text;
}
