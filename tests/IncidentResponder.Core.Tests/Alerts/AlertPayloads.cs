using System.Text;
using System.Text.Json.Nodes;
using IncidentResponder.Core.Alerts;

namespace IncidentResponder.Core.Tests.Alerts;

/// <summary>
/// Notifications written for these tests from the documented webhook_config format (payload version 4): every field
/// Alertmanager sends, with values chosen by the tests. Builders return JSON nodes so a test can break one field.
/// </summary>
internal static class AlertPayloads
{
    public const string GroupKey = "{}/{namespace=\"shop\"}:{alertname=\"HighErrorRate\", deployment=\"web\"}";

    public static JsonObject Alert(string fingerprint, string status = "firing", string? deployment = "web", string ns = "shop",
        string severity = "critical", string startsAt = "2024-05-01T12:00:00.123456789Z", string alertname = "HighErrorRate")
    {
        var labels = new JsonObject { ["alertname"] = alertname, ["namespace"] = ns, ["severity"] = severity };
        if (deployment is not null)
        {
            labels["deployment"] = deployment;
        }

        return new JsonObject
        {
            ["status"] = status,
            ["labels"] = labels,
            ["annotations"] = new JsonObject { ["summary"] = $"5xx above 5% on {deployment}", ["description"] = "error rate 7%" },
            ["startsAt"] = startsAt,
            ["endsAt"] = status == "firing" ? "0001-01-01T00:00:00Z" : "2024-05-01T12:30:00Z",
            ["generatorURL"] = "http://prometheus.shop.svc:9090/graph?g0.expr=rate",
            ["fingerprint"] = fingerprint,
        };
    }

    public static JsonObject Group(params JsonObject[] alerts) => new()
    {
        ["version"] = "4",
        ["groupKey"] = GroupKey,
        ["truncatedAlerts"] = 0,
        ["status"] = alerts.Any(a => (string?)a["status"] == "firing") ? "firing" : "resolved",
        ["receiver"] = "incident-responder",
        ["groupLabels"] = new JsonObject { ["alertname"] = "HighErrorRate" },
        ["commonLabels"] = new JsonObject { ["alertname"] = "HighErrorRate", ["namespace"] = "shop" },
        ["commonAnnotations"] = new JsonObject(),
        ["externalURL"] = "http://alertmanager.monitoring.svc:9093",
        ["alerts"] = new JsonArray([.. alerts]),
    };

    public static AlertGroupParse Parse(JsonNode payload) => Parse(payload.ToJsonString());

    public static AlertGroupParse Parse(string payload) => AlertGroupParser.Parse(Encoding.UTF8.GetBytes(payload));

    public static AlertGroup Parsed(JsonNode payload)
    {
        var result = Parse(payload);
        Assert.True(result.Group is not null, result.Message);
        return result.Group!;
    }
}
