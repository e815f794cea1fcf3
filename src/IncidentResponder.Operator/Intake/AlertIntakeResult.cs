using System.Text.Json.Serialization;

namespace IncidentResponder.Operator.Intake;

/// <summary>The webhook's answer: a status code and a JSON body a person can read in Alertmanager's logs.</summary>
public sealed record AlertIntakeResult(int StatusCode, AlertIntakeResponse Body)
{
    public static AlertIntakeResult Error(int statusCode, string message) => new(statusCode, new AlertIntakeResponse { Error = message });
}

public sealed record AlertIntakeResponse
{
    [JsonPropertyName("error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    [JsonPropertyName("groupKey")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? GroupKey { get; init; }

    [JsonPropertyName("alerts")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Alerts { get; init; }

    [JsonPropertyName("incidents")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<IncidentAnswer>? Incidents { get; init; }

    [JsonPropertyName("unmapped")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<UnmappedAnswer>? Unmapped { get; init; }
}

public sealed record IncidentAnswer(
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("target")] string Target,
    [property: JsonPropertyName("outcome")] string Outcome);

public sealed record UnmappedAnswer(
    [property: JsonPropertyName("fingerprint")] string Fingerprint,
    [property: JsonPropertyName("alertname")] string AlertName,
    [property: JsonPropertyName("reason")] string Reason);
