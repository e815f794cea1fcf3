using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Notifications;

namespace IncidentResponder.Operator.Tests.Egress;

/// <summary>
/// A tenant points notification targets at the cloud metadata endpoint, a cluster IP and a loopback address the admin
/// did not allow. The operator refuses each at connect time; the Incident's records say so and name no address.
/// </summary>
public sealed class NotificationEgressScenarioTests
{
    [Fact]
    public async Task Targets_at_internal_addresses_are_refused_and_the_incident_records_name_no_address()
    {
        var (cluster, _) = await NotificationScenario.StartAsync(
            [new("meta", "Webhook", NotificationManifests.SecretName, "meta"),
             new("svc", "Webhook", NotificationManifests.SecretName, "svc"),
             new("local", "Webhook", NotificationManifests.SecretName, "local")],
            new Dictionary<string, string>
            {
                ["meta"] = "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
                ["svc"] = "http://10.96.0.1:443/api/v1/secrets",
                // The scenario's policy allows 127.0.0.1 only: another loopback address stays refused.
                ["local"] = "http://127.0.0.2:6379/",
            });
        await using var _ = cluster;

        await cluster.BadRolloutAsync(NotificationScenario.Deployment, "crashloop");
        var incident = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i =>
            i.Status?.Notifications?.Count(n => n.LastError is not null) == 3), "all three failures recorded");

        foreach (var target in new[] { "meta", "svc", "local" })
        {
            Assert.Equal("egress refused by policy after 1 attempt(s)", NotificationScenario.Record(incident, target).LastError);
        }

        var timeline = incident.Status!.Timeline!.Where(e => e.Type == TimelineEntryType.Notification).Select(e => e.Message).ToList();
        Assert.Contains("Notification to meta (Webhook) failed: egress refused by policy after 1 attempt(s); retrying with back-off", timeline);
        var events = (await cluster.EventsAboutAsync(Incident.KindName, incident.Metadata.Name)).Select(e => e.Note ?? string.Empty);
        var everything = string.Join('\n', timeline.Concat(events).Concat(incident.Status.Notifications!.Select(n => n.LastError ?? string.Empty)));
        Assert.DoesNotMatch(@"\d+\.\d+\.\d+\.\d+", everything);
        Assert.DoesNotContain("6379", everything, StringComparison.Ordinal);
    }
}
