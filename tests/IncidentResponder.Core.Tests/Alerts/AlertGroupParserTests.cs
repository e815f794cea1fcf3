using System.Text.Json.Nodes;
using IncidentResponder.Core.Alerts;
using static IncidentResponder.Core.Tests.Alerts.AlertParsing;
using static IncidentResponder.Testing.AlertPayloads;

namespace IncidentResponder.Core.Tests.Alerts;

public sealed class AlertGroupParserTests
{
    [Fact]
    public void Reads_every_documented_field()
    {
        var group = Parsed(Group(Alert("a1"), Alert("a2", status: "resolved")));

        Assert.Equal(GroupKey, group.GroupKey);
        Assert.Equal(AlertStatus.Firing, group.Status);
        Assert.Equal("incident-responder", group.Receiver);
        Assert.Equal("HighErrorRate", group.GroupLabels["alertname"]);
        Assert.Equal(Namespace, group.CommonLabels["namespace"]);
        Assert.Empty(group.CommonAnnotations);
        Assert.Equal("http://alertmanager.monitoring.svc:9093", group.ExternalUrl);
        Assert.Equal(0, group.TruncatedAlerts);
        Assert.Equal(["a1", "a2"], group.Alerts.Select(a => a.Fingerprint));
        var first = group.Alerts[0];
        Assert.Equal(AlertStatus.Firing, first.Status);
        Assert.Equal("web", first.Labels["deployment"]);
        Assert.Equal("5xx above 5% on web", first.Text);
        Assert.Equal("HighErrorRate", first.Name);
        // Go writes nanoseconds; .NET keeps ticks (100 ns), rounded.
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1234568), first.StartsAt);
        Assert.Null(first.EndsAt);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 30, 0, TimeSpan.Zero), group.Alerts[1].EndsAt);
        Assert.Equal("http://prometheus.monitoring.svc:9090/graph?g0.expr=rate", first.GeneratorUrl);
    }

    [Fact]
    public void Ignores_fields_it_does_not_know_at_every_level()
    {
        var alert = Alert("a1");
        alert["silenceURL"] = "http://grafana/silence";
        alert["values"] = new JsonObject { ["B"] = 44.2, ["nested"] = new JsonObject { ["deeper"] = new JsonArray(1, 2) } };
        var payload = Group(alert);
        payload["orgId"] = 1;
        payload["numFiring"] = 1;

        var group = Parsed(payload);

        Assert.Equal("a1", Assert.Single(group.Alerts).Fingerprint);
    }

    [Fact]
    public void An_alert_without_fingerprint_gets_one_from_its_labels_whatever_their_order()
    {
        var first = Alert("x");
        first.Remove("fingerprint");
        var reordered = new JsonObject { ["severity"] = "critical", ["deployment"] = "web", ["namespace"] = Namespace, ["alertname"] = "HighErrorRate" };
        var second = Alert("x");
        second.Remove("fingerprint");
        second["labels"] = reordered;
        var other = Alert("x", deployment: "api");
        other.Remove("fingerprint");

        var a = Parsed(Group(first)).Alerts[0].Fingerprint;
        var b = Parsed(Group(second)).Alerts[0].Fingerprint;
        var c = Parsed(Group(other)).Alerts[0].Fingerprint;

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.StartsWith("labels-", a, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alert_without_its_own_status_takes_the_groups_as_alertmanager_before_0_19_meant_it()
    {
        var alert = Alert("a1");
        alert.Remove("status");
        var payload = Group(alert);
        payload["status"] = "resolved";

        Assert.Equal(AlertStatus.Resolved, Parsed(payload).Alerts[0].Status);
    }

    [Fact]
    public void An_exact_repeat_of_an_alert_is_dropped()
    {
        var group = Parsed(Group(Alert("a1"), Alert("a2"), Alert("a1")));

        Assert.Equal(["a1", "a2"], group.Alerts.Select(a => a.Fingerprint));
    }

    [Fact]
    public void A_repeat_that_contradicts_the_first_refuses_the_notification()
    {
        var result = Parse(Group(Alert("a1"), Alert("a1", status: "resolved")));

        Assert.Equal(PayloadProblem.Malformed, result.Problem);
        Assert.Equal("alerts[1] repeats fingerprint a1 of alerts[0] with status resolved instead of firing", result.Message);
    }

    [Fact]
    public void More_alerts_than_the_limit_is_too_large_and_says_how_to_cap_them()
    {
        var alerts = Enumerable.Range(0, AlertGroupParser.MaxAlerts + 1).Select(i => Alert($"f{i}")).ToArray();

        var result = Parse(Group(alerts));

        Assert.Equal(PayloadProblem.TooLarge, result.Problem);
        Assert.Contains("max_alerts", result.Message, StringComparison.Ordinal);
        Assert.Null(result.Group);
    }

    [Fact]
    public void Exactly_the_limit_is_accepted()
    {
        var alerts = Enumerable.Range(0, AlertGroupParser.MaxAlerts).Select(i => Alert($"f{i}")).ToArray();

        Assert.Equal(AlertGroupParser.MaxAlerts, Parsed(Group(alerts)).Alerts.Count);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_before_it_is_read()
    {
        var depth = AlertGroupParser.MaxDepth + 1;
        var payload = Group(Alert("a1")).ToJsonString();
        var deep = string.Concat(Enumerable.Repeat("{\"x\":", depth)) + "1" + new string('}', depth);
        var hostile = payload[..^1] + ",\"extra\":" + deep + "}";

        var result = Parse(hostile);

        Assert.Equal(PayloadProblem.Malformed, result.Problem);
        Assert.StartsWith("the body is not valid JSON", result.Message, StringComparison.Ordinal);
        Assert.Contains("depth", result.Message, StringComparison.OrdinalIgnoreCase);
    }

    public static TheoryData<string, string> Malformed() => new()
    {
        { "", "the body is not valid JSON" },
        { "not json", "the body is not valid JSON" },
        { "[]", "the payload must be a JSON object (an Alertmanager webhook notification), not an array" },
        { "\"text\"", "the payload must be a JSON object (an Alertmanager webhook notification), not a string" },
        { Without("version"), "version is missing; it is required" },
        { With("version", "3"), "version is \"3\"; only Alertmanager webhook payload version \"4\" is accepted" },
        { With("version", 4), "version must be a string, not a number" },
        { Without("groupKey"), "groupKey is missing; it is required" },
        { With("groupKey", " "), "groupKey is empty; it identifies the alert group and is required" },
        { Without("status"), "status is missing; it is required" },
        { With("status", "pending"), "status is \"pending\"; it must be \"firing\" or \"resolved\"" },
        { Without("alerts"), "alerts is missing; it must be an array of alerts" },
        { With("alerts", new JsonObject()), "alerts must be an array, not an object" },
        { With("alerts", new JsonArray(1)), "alerts[0] must be an object, not a number" },
        { With("commonLabels", new JsonArray()), "commonLabels must be an object of string values, not an array" },
        { With("truncatedAlerts", -1), "truncatedAlerts must be a non-negative integer, not a number" },
        { With("truncatedAlerts", "0"), "truncatedAlerts must be a non-negative integer, not the string \"0\"" },
        { AlertWithout("labels"), "alerts[0].labels is missing; it must be an object of string values" },
        { AlertWith("labels", "app=web"), "alerts[0].labels must be an object of string values, not the string \"app=web\"" },
        { AlertWith("labels", new JsonObject { ["replicas"] = 3 }), "alerts[0].labels.replicas must be a string, not a number" },
        { AlertWith("annotations", new JsonArray()), "alerts[0].annotations must be an object of string values, not an array" },
        { AlertWithout("startsAt"), "alerts[0].startsAt is missing or the zero time; it must be an RFC 3339 time" },
        { AlertWith("startsAt", "yesterday"), "alerts[0].startsAt is \"yesterday\"; it must be an RFC 3339 time such as 2024-05-01T12:00:00Z" },
        { AlertWith("startsAt", 1714564800), "alerts[0].startsAt must be a string, not a number" },
        { AlertWith("endsAt", "2024-13-01T00:00:00Z"), "alerts[0].endsAt is \"2024-13-01T00:00:00Z\"; it must be an RFC 3339 time such as 2024-05-01T12:00:00Z" },
        { AlertWith("status", "ok"), "alerts[0].status is \"ok\"; it must be \"firing\" or \"resolved\"" },
        { AlertWith("fingerprint", ""), "alerts[0].fingerprint must be 1 to 128 printable characters" },
        { AlertWith("fingerprint", new string('f', 129)), "alerts[0].fingerprint must be 1 to 128 printable characters" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_notification_is_refused_with_a_message_naming_the_problem(string payload, string message)
    {
        var result = Parse(payload);

        Assert.Null(result.Group);
        Assert.Equal(PayloadProblem.Malformed, result.Problem);
        Assert.StartsWith(message, result.Message, StringComparison.Ordinal);
    }

    private static string Without(string field)
    {
        var payload = Group(Alert("a1"));
        payload.Remove(field);
        return payload.ToJsonString();
    }

    private static string With(string field, JsonNode? value)
    {
        var payload = Group(Alert("a1"));
        payload[field] = value;
        return payload.ToJsonString();
    }

    private static string AlertWithout(string field)
    {
        var alert = Alert("a1");
        alert.Remove(field);
        return Group(alert).ToJsonString();
    }

    private static string AlertWith(string field, JsonNode? value)
    {
        var alert = Alert("a1");
        alert[field] = value;
        return Group(alert).ToJsonString();
    }
}
