using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>FeatureFlag through the HTTP provider, against a real HTTP server on loopback.</summary>
public sealed class ExhaustionHttpFlagTests
{
    [Fact]
    public async Task The_flag_is_set_with_the_configured_method_body_and_authorization_and_a_2xx_verifies_it()
    {
        await using var endpoint = await FlagEndpoint.StartAsync();
        await using var cluster = await StartAsync(endpoint, retries: 2);

        await cluster.OomRunningPodsAsync("api");
        await Eventually.TrueAsync(() => endpoint.Requests.Count > 0, "the flag endpoint called");
        // With the feature off, the pods that ran out of memory are replaced by healthy ones: the step verifies.
        (await cluster.Kubectl.RunAsync("delete", "pods", "-l", "app=api", "--wait=false")).ShouldSucceed();
        var incident = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i =>
            i.Status?.Actions?.Any(a => a.Step == HttpFlagManifests.Step && a.Phase == ActionPhase.Succeeded) == true), "the HTTP flag step succeeded");

        var request = Assert.Single(endpoint.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/feature-flags", request.Path);
        Assert.Equal("""{"name": "recommendations", "enabled": false}""", request.Body);
        Assert.Equal(HttpFlagManifests.Token, request.Authorization);
        var flip = Assert.Single(incident.Status!.Actions!, a => a.Step == HttpFlagManifests.Step);
        Assert.Equal("200", flip.Details!["httpStatus"]);
        Assert.Equal("1", flip.Details["attempts"]);
    }

    [Fact]
    public async Task A_failing_endpoint_is_retried_with_backoff_then_the_step_fails_and_the_incident_escalates()
    {
        await using var endpoint = await FlagEndpoint.StartAsync();
        endpoint.Status = 500;
        await using var cluster = await StartAsync(endpoint, retries: 2);

        await cluster.OomRunningPodsAsync("api");
        var incident = await cluster.IncidentInPhaseAsync("api", IncidentPhase.Escalated);

        // One attempt and two retries, then no more: the step failed and people took over.
        Assert.Equal(3, endpoint.Requests.Count);
        Assert.All(endpoint.Requests, r => Assert.Equal(HttpFlagManifests.Token, r.Authorization));
        var timeline = string.Join("\n", incident.Status!.Timeline!.Select(e => e.Message));
        Assert.True(timeline.Contains("failed after 3 attempt(s): HTTP 500", StringComparison.Ordinal), timeline);
        Assert.DoesNotContain(incident.Status.Actions ?? [], a => a.Step == HttpFlagManifests.Step && a.Phase == ActionPhase.Succeeded);
    }

    [Fact]
    public async Task A_400_is_not_retried()
    {
        await using var endpoint = await FlagEndpoint.StartAsync();
        endpoint.Status = 400;
        await using var cluster = await StartAsync(endpoint, retries: 3);

        await cluster.OomRunningPodsAsync("api");
        var incident = await cluster.IncidentInPhaseAsync("api", IncidentPhase.Escalated);

        var timeline = string.Join("\n", incident.Status!.Timeline!.Select(e => e.Message));
        Assert.True(endpoint.Requests.Count == 1, $"{endpoint.Requests.Count} requests; timeline:\n{timeline}");
        Assert.True(timeline.Contains("failed after 1 attempt(s): HTTP 400", StringComparison.Ordinal), timeline);
    }

    [Fact]
    public async Task A_secret_that_does_not_list_the_endpoint_is_not_sent_and_the_record_says_how_to_consent()
    {
        await using var endpoint = await FlagEndpoint.StartAsync();
        await using var cluster = await StartAsync(endpoint, retries: 0, consent: false);

        await cluster.OomRunningPodsAsync("api");
        var incident = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i =>
            i.Status?.Actions?.Any(a => a.Step == HttpFlagManifests.Step && a.Message?.Contains("is not sent to", StringComparison.Ordinal) == true) == true),
            "the flag step refused for want of the Secret's consent");

        // Nothing reached the endpoint: neither the token nor the flip.
        Assert.Empty(endpoint.Requests);
        var flip = Assert.Single(incident.Status!.Actions!, a => a.Step == HttpFlagManifests.Step);
        Assert.Contains("its annotation incidentresponder.dev/send-to does not list that URL", flip.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", System.Text.Json.JsonSerializer.Serialize(incident), StringComparison.Ordinal);
    }

    private static async Task<OperatorCluster> StartAsync(FlagEndpoint endpoint, int retries, bool consent = true)
    {
        var cluster = await OperatorCluster.StartAsync();
        await cluster.Kubectl.ApplyAsync(HttpFlagManifests.RunbookPolicyAndSecret(endpoint.Url, retries, consent: consent) + "\n---\n" + ExhaustionManifests.Deployment("api"));
        (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/api", "--timeout=60s")).ShouldSucceed();
        await cluster.RevisionSettledAsync("api");
        cluster.StartOperator();
        return cluster;
    }
}
