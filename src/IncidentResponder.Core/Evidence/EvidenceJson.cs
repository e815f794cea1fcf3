using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentResponder.Core.Evidence;

/// <summary>The bundle as evidence.json: camelCase, stable, read back by the post-mortem and the history store.</summary>
public static class EvidenceJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    public static string Serialize(EvidenceBundle bundle) => JsonSerializer.Serialize(bundle, Options);

    /// <summary>The bundle, or null when <paramref name="json"/> is not one (hand-edited, or from a future version).</summary>
    public static EvidenceBundle? TryDeserialize(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<EvidenceBundle>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
