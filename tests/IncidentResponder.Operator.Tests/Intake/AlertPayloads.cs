using System.Text.Json.Nodes;

namespace IncidentResponder.Operator.Tests.Intake;

/// <summary>
/// Notifications written for these tests from the documented webhook_config format (payload version 4), so the tests
/// that must always run do not depend on the upstream fixtures being present.
/// </summary>
internal static class AlertPayloads
{
    public static JsonObject Alert(string fingerprint, string deployment = "web", string status = "firing", string ns = "default",
        string severity = "critical", string label = "deployment", string alertname = "HighErrorRate")
    {
        var labels = new JsonObject { ["alertname"] = alertname, ["namespace"] = ns, ["severity"] = severity, [label] = deployment };
        return new JsonObject
        {
            ["status"] = status,
            ["labels"] = labels,
            ["annotations"] = new JsonObject { ["summary"] = $"{alertname} on {deployment}" },
            ["startsAt"] = "2024-05-01T12:00:00.000000001Z",
            ["endsAt"] = status == "firing" ? "0001-01-01T00:00:00Z" : "2024-05-01T12:10:00Z",
            ["generatorURL"] = "http://prometheus:9090/graph?g0.expr=up",
            ["fingerprint"] = fingerprint,
        };
    }

    public static JsonObject Group(string groupKey, params JsonObject[] alerts) => new()
    {
        ["version"] = "4",
        ["groupKey"] = groupKey,
        ["truncatedAlerts"] = 0,
        ["status"] = alerts.Any(a => (string?)a["status"] == "firing") ? "firing" : "resolved",
        ["receiver"] = "incident-responder",
        ["groupLabels"] = new JsonObject { ["alertname"] = "HighErrorRate" },
        ["commonLabels"] = new JsonObject { ["alertname"] = "HighErrorRate" },
        ["commonAnnotations"] = new JsonObject(),
        ["externalURL"] = "http://alertmanager:9093",
        ["alerts"] = new JsonArray([.. alerts]),
    };
}
