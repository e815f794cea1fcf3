using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>
/// The HTTP flag provider end to end, for what its focused tests cannot show: a flag service that stops answering
/// costs one timeout per attempt and then escalates the incident; a 429 storm passes; DryRun sends nothing.
/// </summary>
public sealed class ExhaustionHttpFlagResilienceTests
{
    [Fact]
    public async Task A_hung_endpoint_times_out_on_every_attempt_and_the_incident_escalates()
    {
        await using var endpoint = await FlagEndpoint.StartAsync();
        endpoint.Hang = true;
        await using var cluster = await StartAsync(endpoint, retries: 1, timeout: "1s");

        await cluster.OomRunningPodsAsync("api");
        var incident = await cluster.IncidentInPhaseAsync("api", IncidentPhase.Escalated);

        // One attempt and one retry, each cut by the 1s timeout, then people take over.
        Assert.Equal(2, endpoint.Requests.Count);
        var timeline = string.Join("\n", incident.Status!.Timeline!.Select(e => e.Message));
        Assert.True(timeline.Contains("failed after 2 attempt(s)", StringComparison.Ordinal) && timeline.Contains("timeout", StringComparison.Ordinal), timeline);
        Assert.DoesNotContain(incident.Status.Actions ?? [], a => a.Step == HttpFlagManifests.Step && a.Phase is ActionPhase.Running or ActionPhase.Succeeded);
    }

    [Fact]
    public async Task A_429_is_retried_and_the_next_answer_completes_the_flip()
    {
        await using var endpoint = await FlagEndpoint.StartAsync();
        endpoint.AnswerNext(429);
        await using var cluster = await StartAsync(endpoint, retries: 2);

        await cluster.OomRunningPodsAsync("api");
        var incident = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i =>
            i.Status?.Actions?.Any(a => a.Step == HttpFlagManifests.Step && a.Phase is ActionPhase.Running or ActionPhase.Succeeded) == true),
            "the HTTP flag step applied");

        Assert.Equal(2, endpoint.Requests.Count);
        var flip = Assert.Single(incident.Status!.Actions!, a => a.Step == HttpFlagManifests.Step);
        Assert.Equal(("2", "200"), (flip.Details!["attempts"], flip.Details["httpStatus"]));
    }

    [Fact]
    public async Task In_dry_run_mode_nothing_is_sent_and_the_request_it_would_send_is_recorded()
    {
        await using var endpoint = await FlagEndpoint.StartAsync();
        await using var cluster = await StartAsync(endpoint, retries: 2, mode: "DryRun");

        await cluster.OomRunningPodsAsync("api");
        var incident = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i =>
            i.Status?.Actions?.Any(a => a.Step == HttpFlagManifests.Step && a.Details?.ContainsKey("dryRunResult") == true) == true),
            "the HTTP flag step's dry run recorded");

        var dryRun = Assert.Single(incident.Status!.Actions!, a => a.Step == HttpFlagManifests.Step);
        Assert.Equal(ActionPhase.DryRun, dryRun.Phase);
        Assert.Equal($$"""would send PUT {{endpoint.Url}} with body {"name": "recommendations", "enabled": false}""", dryRun.Details!["dryRunResult"]);
        Assert.Empty(endpoint.Requests);
        // The dry run does not even read the Secret: nothing would be sent, so no credential is needed.
        Assert.DoesNotContain(cluster.Cluster.Hooks.AuditLog, r => r is { Verb: "get", Resource: "secrets" } && r.UserAgent?.StartsWith("kubectl", StringComparison.Ordinal) != true);
    }

    private static async Task<OperatorCluster> StartAsync(FlagEndpoint endpoint, int retries, string timeout = "5s", string mode = "Automatic")
    {
        var cluster = await OperatorCluster.StartAsync();
        await cluster.Kubectl.ApplyAsync(HttpFlagManifests.RunbookPolicyAndSecret(endpoint.Url, retries, timeout: timeout, mode: mode)
            + "\n---\n" + ExhaustionManifests.Deployment("api"));
        (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/api", "--timeout=60s")).ShouldSucceed();
        await cluster.RevisionSettledAsync("api");
        cluster.StartOperator();
        return cluster;
    }
}
