using System.Text;
using System.Text.Json.Nodes;
using IncidentResponder.Core.Alerts;

namespace IncidentResponder.Core.Tests.Alerts;

/// <summary>
/// The core's parser applied to notifications built with the shared builders
/// (<see cref="IncidentResponder.Testing.AlertPayloads"/>: Alert, Group, GroupKey).
/// </summary>
internal static class AlertParsing
{
    public static AlertGroupParse Parse(JsonNode payload) => Parse(payload.ToJsonString());

    public static AlertGroupParse Parse(string payload) => AlertGroupParser.Parse(Encoding.UTF8.GetBytes(payload));

    public static AlertGroup Parsed(JsonNode payload)
    {
        var result = Parse(payload);
        Assert.True(result.Group is not null, result.Message);
        return result.Group!;
    }
}
