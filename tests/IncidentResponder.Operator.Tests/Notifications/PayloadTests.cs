using System.Text;
using CloudNative.CloudEvents.SystemTextJson;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Notifications;
using IncidentResponder.Operator.Notifications;

namespace IncidentResponder.Operator.Tests.Notifications;

/// <summary>The receivers' payloads built from one update, without the wire: limits, escaping, the PagerDuty scale.</summary>
public sealed class PayloadTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 14, 23, 0, TimeSpan.Zero);

    private static IncidentUpdate Update(UpdateKind kind = UpdateKind.Declared, Severity severity = Severity.Sev2, string what = "API returning 503 errors", PagerDutyAction? pagerDuty = null) => new(
        kind, "shop", "api-outage", "uid-1", "api", severity, IncidentPhase.Detected, SignalType.ReadinessFailing, what,
        "Users unable to create orders", At.AddMinutes(-2), "incident-responder", "incident-responder (runbook bad-rollout): choosing the first step",
        ["Incident opened"], At, At.AddMinutes(30), TimeSpan.FromMinutes(30), pagerDuty);

    [Theory]
    [InlineData(Severity.Sev1, "critical")]
    [InlineData(Severity.Sev2, "error")]
    [InlineData(Severity.Sev3, "warning")]
    [InlineData(Severity.Sev4, "info")]
    public void Pagerduty_severity_follows_the_seeds_scale(Severity severity, string expected)
    {
        var trigger = PagerDutyEvent.Build(Update(severity: severity, pagerDuty: PagerDutyAction.Trigger), "key");
        Assert.Equal(expected, trigger["payload"]!["severity"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(PagerDutyAction.Acknowledge, "acknowledge")]
    [InlineData(PagerDutyAction.Resolve, "resolve")]
    public void Acknowledge_and_resolve_name_the_alert_by_dedup_key_only(PagerDutyAction action, string expected)
    {
        var body = PagerDutyEvent.Build(Update(pagerDuty: action), "key");
        Assert.Equal(["routing_key", "event_action", "dedup_key"], body.Select(p => p.Key));
        Assert.Equal(expected, body["event_action"]!.GetValue<string>());
        Assert.Equal("shop/api-outage/uid-1", body["dedup_key"]!.GetValue<string>());
    }

    [Fact]
    public void A_pagerduty_summary_is_cut_to_1024_characters()
    {
        var summary = PagerDutyEvent.Build(Update(what: new string('x', 3000), pagerDuty: PagerDutyAction.Trigger), "key")["payload"]!["summary"]!.GetValue<string>();
        Assert.Equal(1024, summary.Length);
        Assert.StartsWith("[SEV-2] xxx", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Slack_text_is_escaped_and_blocks_stay_within_block_kit_limits()
    {
        var message = SlackMessage.Build(Update(what: "<!channel> p99 > 2s & rising " + new string('y', 5000)));

        var fields = message["blocks"]![1]!["fields"]!.AsArray().Select(f => f!["text"]!.GetValue<string>()).ToList();
        Assert.StartsWith("*What:*\n&lt;!channel&gt; p99 &gt; 2s &amp; rising", fields[0], StringComparison.Ordinal);
        Assert.All(fields, f => Assert.True(f.Length <= 2000, $"field of {f.Length} characters"));
        Assert.True(message["text"]!.GetValue<string>().Length <= 3000);
        Assert.Equal("🚨 INCIDENT DECLARED — SEV-2", message["blocks"]![0]!["text"]!["text"]!.GetValue<string>());
        Assert.Equal("Incident shop/api-outage · deployment api · Detected", message["blocks"]!.AsArray()[^1]!["elements"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Slack_lists_what_changed_as_bullets_in_later_updates()
    {
        var update = Update(kind: UpdateKind.Changed) with { Changes = ["rollback (RolloutUndo) succeeded", "Mitigated: verified"] };
        var message = SlackMessage.Build(update);
        Assert.Equal("*Changed:*\n• rollback (RolloutUndo) succeeded\n• Mitigated: verified", message["blocks"]![2]!["text"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void A_cloudevent_is_structured_json_whose_id_is_stable_per_update_number()
    {
        var cloudEvent = WebhookCloudEvent.Build(Update(kind: UpdateKind.Resolved), sequence: 3);
        var (body, contentType) = WebhookCloudEvent.Encode(cloudEvent);

        Assert.Equal("application/cloudevents+json", contentType.MediaType);
        Assert.Equal("shop/api-outage/uid-1#3", cloudEvent.Id);
        Assert.Equal(WebhookCloudEvent.Build(Update(kind: UpdateKind.Resolved), sequence: 3).Id, cloudEvent.Id); // a re-send after a crash
        var decoded = new JsonEventFormatter().DecodeStructuredModeMessage(body, contentType, extensionAttributes: null);
        Assert.Equal("dev.incidentresponder.incident.resolved", decoded.Type);
        Assert.Equal(At, decoded.Time);
        Assert.Equal("/apis/incidentresponder.dev/v1alpha1/namespaces/shop/incidents/api-outage", decoded.Source!.ToString());
        Assert.Contains("\"what\":\"API returning 503 errors\"", Encoding.UTF8.GetString(body.Span), StringComparison.Ordinal);
    }
}
