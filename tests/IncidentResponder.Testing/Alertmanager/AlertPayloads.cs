using System.Text.Json.Nodes;

namespace IncidentResponder.Testing;

/// <summary>
/// Alertmanager notifications written from the documented webhook_config format (payload version 4): every field
/// Alertmanager sends, with values chosen by the tests, so tests that must always run do not depend on the upstream
/// fixtures being present. Builders return JSON nodes so a test can break one field.
/// </summary>
public static class AlertPayloads
{
    /// <summary>The namespace alerts carry unless a test says otherwise: the one the simulated cluster's tests use.</summary>
    public const string Namespace = "default";

    public const string GroupKey = "{}/{namespace=\"default\"}:{alertname=\"HighErrorRate\", deployment=\"web\"}";

    /// <summary>
    /// One alert. <paramref name="deployment"/> is the value of the target label <paramref name="label"/>
    /// (deployment, pod or service); null leaves the alert without one.
    /// </summary>
    public static JsonObject Alert(string fingerprint, string status = "firing", string? deployment = "web", string ns = Namespace,
        string severity = "critical", string startsAt = "2024-05-01T12:00:00.123456789Z", string alertname = "HighErrorRate", string label = "deployment")
    {
        var labels = new JsonObject { ["alertname"] = alertname, ["namespace"] = ns, ["severity"] = severity };
        if (deployment is not null)
        {
            labels[label] = deployment;
        }

        return new JsonObject
        {
            ["status"] = status,
            ["labels"] = labels,
            ["annotations"] = new JsonObject { ["summary"] = $"5xx above 5% on {deployment}", ["description"] = "error rate 7%" },
            ["startsAt"] = startsAt,
            ["endsAt"] = status == "firing" ? "0001-01-01T00:00:00Z" : "2024-05-01T12:30:00Z",
            ["generatorURL"] = "http://prometheus.monitoring.svc:9090/graph?g0.expr=rate",
            ["fingerprint"] = fingerprint,
        };
    }

    /// <summary>A notification of <see cref="GroupKey"/> carrying <paramref name="alerts"/>.</summary>
    public static JsonObject Group(params JsonObject[] alerts) => Group(GroupKey, alerts);

    /// <summary>
    /// A notification carrying <paramref name="alerts"/>: firing while any alert fires, its common labels the label
    /// values every alert shares (as Alertmanager computes them).
    /// </summary>
    public static JsonObject Group(string groupKey, params JsonObject[] alerts) => new()
    {
        ["version"] = "4",
        ["groupKey"] = groupKey,
        ["truncatedAlerts"] = 0,
        ["status"] = alerts.Any(a => (string?)a["status"] == "firing") ? "firing" : "resolved",
        ["receiver"] = "incident-responder",
        ["groupLabels"] = new JsonObject { ["alertname"] = "HighErrorRate" },
        ["commonLabels"] = CommonLabels(alerts),
        ["commonAnnotations"] = new JsonObject(),
        ["externalURL"] = "http://alertmanager.monitoring.svc:9093",
        ["alerts"] = new JsonArray([.. alerts]),
    };

    private static JsonObject CommonLabels(JsonObject[] alerts)
    {
        var common = new JsonObject();
        if (alerts.Length == 0 || alerts[0]["labels"] is not JsonObject first)
        {
            return common;
        }

        foreach (var (name, value) in first)
        {
            var text = value?.ToString();
            if (alerts.All(a => a["labels"] is JsonObject labels && labels[name]?.ToString() == text))
            {
                common[name] = text;
            }
        }

        return common;
    }
}
