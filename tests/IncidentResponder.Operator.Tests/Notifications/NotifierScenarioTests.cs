using System.Text;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents.SystemTextJson;
using IncidentResponder.Api.V1Alpha1;
using k8s;

namespace IncidentResponder.Operator.Tests.Notifications;

/// <summary>
/// A crash-looping rollout, rolled back and resolved, told to Slack, a CloudEvents webhook and PagerDuty, each a real
/// HTTP receiver on loopback; and a failing receiver that is recorded without holding up the rollback.
/// </summary>
public sealed class NotifierScenarioTests
{
    private static readonly string[] TemplateLabels = ["*What:*", "*Impact:*", "*Since:*", "*Acting:*", "*Next update:*"];

    [Fact]
    public async Task A_bad_rollout_is_announced_to_slack_a_webhook_and_pagerduty_from_open_to_resolution()
    {
        await using var slack = await Receiver.StartAsync("/services/T0/B0/slacktoken");
        await using var hooks = await Receiver.StartAsync("/incident-events");
        await using var pager = await Receiver.StartAsync("/v2/enqueue");
        pager.Otherwise = new Answer(202);
        var secret = new Dictionary<string, string>
        {
            ["slack-url"] = slack.Url, ["webhook-url"] = hooks.Url, ["routing-key"] = NotificationManifests.RoutingKey, ["url"] = pager.Url,
        };
        var (cluster, running) = await NotificationScenario.StartAsync(
            [new("slack", "Slack", NotificationManifests.SecretName, "slack-url"),
             new("hooks", "Webhook", NotificationManifests.SecretName, "webhook-url"),
             new("pager", "PagerDuty", NotificationManifests.SecretName, "routing-key")], secret);
        await using var _ = cluster;

        await cluster.BadRolloutAsync(NotificationScenario.Deployment, "crashloop");
        await cluster.IncidentInPhaseAsync(NotificationScenario.Deployment, IncidentPhase.Resolved);
        await Eventually.TrueAsync(() => pager.Requests.Any(r => r.Json["event_action"]?.GetValue<string>() == "resolve"), "PagerDuty resolved");
        await Eventually.TrueAsync(() => slack.Requests.Any(r => r.Body.Contains("INCIDENT RESOLVED", StringComparison.Ordinal)), "Slack told of the resolution");
        await Eventually.TrueAsync(() => hooks.Requests.Any(r => r.Json["type"]?.GetValue<string>() == "dev.incidentresponder.incident.resolved"), "the webhook told of the resolution");
        var incident = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i =>
            i.Status?.Notifications?.Find(r => r.Target == "pager")?.PagerDutyState == PagerDutyState.Resolved
            && i.Status.Notifications.Find(r => r.Target == "slack")?.LastMoment == "resolved"
            && i.Status.Notifications.Find(r => r.Target == "hooks")?.LastMoment == "resolved"), "every record at the resolution");

        AssertSlack(slack.Requests, incident);
        AssertCloudEvents(hooks.Requests, incident);
        AssertPagerDuty(pager.Requests, incident);

        var status = incident.Status!;
        Assert.Equal(3, status.Notifications!.Count);
        Assert.All(status.Notifications, r => Assert.Equal(0, r.ConsecutiveFailures));
        Assert.Equal(slack.Requests.Count, NotificationScenario.Record(incident, "slack").UpdatesSent);
        Assert.Contains(status.Timeline!, e => e.Type == TimelineEntryType.Notification && e.Message.StartsWith("Notified slack (Slack): INCIDENT DECLARED", StringComparison.Ordinal));
        Assert.Contains(status.Timeline!, e => e.Type == TimelineEntryType.Notification && e.Message.StartsWith("Notified pager (PagerDuty): INCIDENT RESOLVED", StringComparison.Ordinal));

        // Secrets are referenced, never copied: no URL or routing key in the record.
        var json = KubernetesJson.Serialize(incident);
        foreach (var value in secret.Values)
        {
            Assert.DoesNotContain(value, json, StringComparison.Ordinal);
        }

        Assert.Equal(slack.Requests.Count, await NotificationScenario.MetricAsync(running, "incident_responder_notifications_total", "target_type=\"slack\"", "outcome=\"sent\""));
        Assert.Equal(pager.Requests.Count, await NotificationScenario.MetricAsync(running, "incident_responder_notifications_total", "target_type=\"pagerduty\"", "outcome=\"sent\""));
    }

    [Fact]
    public async Task A_failing_receiver_is_recorded_and_counted_while_the_rollback_still_happens()
    {
        await using var slack = await Receiver.StartAsync();
        slack.Otherwise = new Answer(500);
        var (cluster, running) = await NotificationScenario.StartAsync(
            [new("slack", "Slack", NotificationManifests.SecretName, "slack-url"),
             new("hooks", "Webhook", "no-such-secret", "url")],
            new Dictionary<string, string> { ["slack-url"] = slack.Url });
        await using var _ = cluster;

        await cluster.BadRolloutAsync(NotificationScenario.Deployment, "crashloop");
        var incident = await cluster.IncidentInPhaseAsync(NotificationScenario.Deployment, IncidentPhase.Resolved);
        incident = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i =>
            i.Status?.Notifications?.Count == 2 && i.Status.Timeline?.Count(e => e.Type == TimelineEntryType.Notification) == 2), "both failures recorded");

        // Remediation went on as if nobody had to be told.
        Assert.Single(cluster.RollbackPatches(NotificationScenario.Deployment));
        Assert.Equal("nginx:1.25", (await cluster.DeploymentAsync(NotificationScenario.Deployment)).Spec.Template.Spec.Containers[0].Image);

        var slackRecord = NotificationScenario.Record(incident, "slack");
        Assert.Equal(1, slackRecord.ConsecutiveFailures);
        Assert.Equal(0, slackRecord.UpdatesSent);
        Assert.Equal("HTTP 500 after 2 attempt(s)", slackRecord.LastError);
        Assert.NotNull(slackRecord.LastErrorAt);
        Assert.Equal("Secret default/no-such-secret not found", NotificationScenario.Record(incident, "hooks").LastError);
        var timeline = incident.Status!.Timeline!.Where(e => e.Type == TimelineEntryType.Notification).Select(e => e.Message).ToList();
        Assert.Contains("Notification to slack (Slack) failed: HTTP 500 after 2 attempt(s); retrying with back-off", timeline);
        Assert.Contains("Notification to hooks (Webhook) failed: Secret default/no-such-secret not found; retrying with back-off", timeline);

        // One delivery (an attempt and its retry), then the 30 s back-off: no hot loop on a dead receiver.
        Assert.Equal(2, slack.Requests.Count);
        Assert.Equal(1, await NotificationScenario.MetricAsync(running, "incident_responder_notification_failures_total", "target_type=\"slack\"", "reason=\"server_error\""));
        Assert.Equal(1, await NotificationScenario.MetricAsync(running, "incident_responder_notification_failures_total", "target_type=\"webhook\"", "reason=\"secret_missing\""));
        Assert.Equal(1, await NotificationScenario.MetricAsync(running, "incident_responder_notifications_total", "target_type=\"slack\"", "outcome=\"failed\""));
    }

    private static void AssertSlack(IReadOnlyList<ReceivedRequest> requests, Incident incident)
    {
        Assert.All(requests, r => Assert.Equal("POST", r.Method));
        Assert.All(requests, r => Assert.StartsWith("application/json", r.ContentType, StringComparison.Ordinal));
        var declared = requests[0].Json;
        Assert.StartsWith("INCIDENT DECLARED — SEV-", declared["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var blocks = declared["blocks"]!.AsArray();
        Assert.Equal("header", blocks[0]!["type"]!.GetValue<string>());
        Assert.Contains("INCIDENT DECLARED — SEV-", blocks[0]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var fields = blocks[1]!["fields"]!.AsArray().Select(f => f!["text"]!.GetValue<string>()).ToList();
        Assert.Equal(TemplateLabels, fields.Select(f => f[..(f.IndexOf('\n', StringComparison.Ordinal))]));
        Assert.Equal($"*What:*\n{incident.Spec.Summary}", fields[0]); // the detector's summary: target, signal, how many pods
        Assert.Contains("UTC (detected by incident-responder)", fields[2], StringComparison.Ordinal);
        // The playbook's cadence for the severity triage gave (it depends on how many replicas still serve): none for SEV-4.
        var severity = declared["text"]!.GetValue<string>()["INCIDENT DECLARED — SEV-".Length] - '0';
        if (severity == 4)
        {
            Assert.Equal("*Next update:*\non the next change", fields[4]);
        }
        else
        {
            Assert.Matches($@"^\*Next update:\*\n\d\d:\d\d UTC \({new[] { 15, 30, 60 }[severity - 1]} minutes\)$", fields[4]);
        }
        Assert.Contains("INCIDENT RESOLVED", requests[^1].Json["blocks"]![0]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(requests, r => r.Body.Contains("rollback (RolloutUndo)", StringComparison.Ordinal));
    }

    private static void AssertCloudEvents(IReadOnlyList<ReceivedRequest> requests, Incident incident)
    {
        var formatter = new JsonEventFormatter();
        var events = requests.Select(r =>
        {
            Assert.StartsWith("application/cloudevents+json", r.ContentType, StringComparison.Ordinal);
            var json = r.Json;
            foreach (var attribute in new[] { "specversion", "id", "source", "type", "time", "datacontenttype", "data" })
            {
                Assert.True(json.ContainsKey(attribute), $"CloudEvent without {attribute}: {r.Body}");
            }

            Assert.Equal("1.0", json["specversion"]!.GetValue<string>());
            return formatter.DecodeStructuredModeMessage(Encoding.UTF8.GetBytes(r.Body), new System.Net.Mime.ContentType(r.ContentType!), extensionAttributes: null);
        }).ToList();

        Assert.All(events, e => Assert.True(e.IsValid));
        Assert.Equal("dev.incidentresponder.incident.declared", events[0].Type);
        Assert.Equal("dev.incidentresponder.incident.resolved", events[^1].Type);
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
        Assert.All(events, e => Assert.Equal($"/apis/incidentresponder.dev/v1alpha1/namespaces/default/incidents/{incident.Metadata.Name}", e.Source!.ToString()));
        Assert.All(events, e => Assert.Equal("application/json", e.DataContentType));
        Assert.All(events, e => Assert.Equal("deployment/web", e.Subject));
        var data = JsonNode.Parse(requests[0].Json["data"]!.ToJsonString())!;
        Assert.Equal(incident.Metadata.Name, data["incident"]!["name"]!.GetValue<string>());
        Assert.Equal(incident.Metadata.Uid, data["incident"]!["uid"]!.GetValue<string>());
        Assert.Equal(incident.Spec.Summary, data["what"]!.GetValue<string>());
        Assert.NotNull(data["nextUpdateAt"]);
        Assert.StartsWith("INCIDENT DECLARED", data["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static void AssertPagerDuty(IReadOnlyList<ReceivedRequest> requests, Incident incident)
    {
        var actions = requests.Select(r => r.Json["event_action"]!.GetValue<string>()).ToList();
        Assert.Equal("trigger", actions[0]);
        Assert.Equal("resolve", actions[^1]);
        Assert.All(actions.Skip(1).SkipLast(1), a => Assert.Equal("acknowledge", a)); // acknowledged while mitigated, if it was seen then
        var dedupKey = $"default/{incident.Metadata.Name}/{incident.Metadata.Uid}";
        Assert.All(requests, r => Assert.Equal(dedupKey, r.Json["dedup_key"]!.GetValue<string>()));
        Assert.All(requests, r => Assert.Equal(NotificationManifests.RoutingKey, r.Json["routing_key"]!.GetValue<string>()));
        var payload = requests[0].Json["payload"]!;
        Assert.StartsWith("[SEV-", payload["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(payload["severity"]!.GetValue<string>(), new[] { "critical", "error", "warning", "info" });
        Assert.Equal("default/deployment/web", payload["source"]!.GetValue<string>());
        Assert.Equal("web", payload["component"]!.GetValue<string>());
        Assert.Equal("CrashLoop", payload["class"]!.GetValue<string>());
        Assert.Equal($"default/{incident.Metadata.Name}", payload["custom_details"]!["incident"]!.GetValue<string>());
        Assert.Null(requests[^1].Json["payload"]);
    }
}
