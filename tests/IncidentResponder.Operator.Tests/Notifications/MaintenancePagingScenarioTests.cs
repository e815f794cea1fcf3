using System.Globalization;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Notifications;

/// <summary>During planned work the channel hears about an incident, and nobody is paged.</summary>
public sealed class MaintenancePagingScenarioTests
{
    [Fact]
    public async Task An_incident_in_an_open_maintenance_window_is_told_to_slack_and_does_not_page()
    {
        await using var slack = await Receiver.StartAsync("/services/T0/B0/slacktoken");
        await using var pager = await Receiver.StartAsync("/v2/enqueue");
        pager.Otherwise = new Answer(202);
        var now = DateTimeOffset.UtcNow;
        string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var window = $"[{{name: release-freeze, start: '{Rfc3339(now.AddMinutes(-1))}', end: '{Rfc3339(now.AddHours(1))}'}}]";
        var (cluster, _) = await NotificationScenario.StartAsync(
            [new("slack", "Slack", NotificationManifests.SecretName, "slack-url"),
             new("pager", "PagerDuty", NotificationManifests.SecretName, "routing-key")],
            new Dictionary<string, string> { ["slack-url"] = slack.Url, ["routing-key"] = NotificationManifests.RoutingKey, ["url"] = pager.Url },
            policy: new PolicySettings { MaintenanceWindows = window });
        await using var _ = cluster;

        await cluster.BadRolloutAsync(NotificationScenario.Deployment, "crashloop");
        // Slack and PagerDuty are planned in the same reconcile: once Slack's record is written, a page would have gone too.
        var incident = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i =>
            i.Status?.Notifications?.Find(r => r.Target == "slack")?.UpdatesSent >= 1
            && i.Status.Timeline?.Any(e => e.Message.Contains("maintenance window release-freeze", StringComparison.Ordinal)) == true), "Slack told of a held incident");

        Assert.Contains(slack.Requests, r => r.Body.Contains("INCIDENT DECLARED", StringComparison.Ordinal));
        Assert.Empty(pager.Requests);
        Assert.DoesNotContain(incident.Status!.Notifications!, r => r.Target == "pager");
        Assert.NotEqual(IncidentPhase.Resolved, incident.Status.Phase);
    }
}
