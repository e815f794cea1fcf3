using System.Diagnostics;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Operator.Actions;
using IncidentResponder.Operator.Tests.Support;
using k8s;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>
/// The HTTP flag provider's retry policy against a real Kestrel endpoint on loopback: what is retried (429, a hung
/// attempt cut by its own timeout), what ends the step, and that a dry run sends nothing. Focused on the provider
/// (no cluster: it reads a Secret only for authSecretRef, which these flips do not use), with short delays so the
/// backoff is real but fast.
/// </summary>
public sealed class HttpFlagProviderTests
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task A_429_is_retried_after_a_backoff_and_the_flip_succeeds_on_the_next_answer()
    {
        await using var endpoint = await FlagEndpoint.StartAsync();
        endpoint.AnswerNext(429);

        var outcome = await FlipAsync(endpoint, retries: 3, timeout: "5s");

        var applied = Assert.IsType<ActionOutcome.Applied>(outcome);
        Assert.Equal(("2", "200"), (applied.Details["attempts"], applied.Details["httpStatus"]));
        Assert.Equal(2, endpoint.Requests.Count);
        Assert.All(endpoint.Requests, r => Assert.Equal("""{"name": "recommendations", "enabled": false}""", r.Body));
    }

    [Fact]
    public async Task A_429_on_every_attempt_fails_the_flip_after_the_configured_retries()
    {
        await using var endpoint = await FlagEndpoint.StartAsync();
        endpoint.Status = 429;

        var outcome = await FlipAsync(endpoint, retries: 2, timeout: "5s");

        Assert.Contains("failed after 3 attempt(s): HTTP 429", Assert.IsType<ActionOutcome.Skipped>(outcome).Message, StringComparison.Ordinal);
        Assert.Equal(3, endpoint.Requests.Count);
    }

    [Fact]
    public async Task A_hung_attempt_is_cut_by_the_per_attempt_timeout_and_retried()
    {
        await using var endpoint = await FlagEndpoint.StartAsync();
        endpoint.AnswerNext(null, 200);
        var clock = Stopwatch.StartNew();

        var outcome = await FlipAsync(endpoint, retries: 2, timeout: "1s");

        var applied = Assert.IsType<ActionOutcome.Applied>(outcome);
        Assert.Equal(("2", "200", 2), (applied.Details["attempts"], applied.Details["httpStatus"], endpoint.Requests.Count));
        // One timeout (1 s) and one backoff (50 ms): the hung attempt did not hold the step for long.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task When_every_attempt_hangs_the_flip_fails_with_the_timeout_after_all_attempts()
    {
        await using var endpoint = await FlagEndpoint.StartAsync();
        endpoint.Hang = true;

        var outcome = await FlipAsync(endpoint, retries: 2, timeout: "200ms");

        var skipped = Assert.IsType<ActionOutcome.Skipped>(outcome);
        Assert.Contains("failed after 3 attempt(s)", skipped.Message, StringComparison.Ordinal);
        Assert.Contains("timeout", skipped.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, endpoint.Requests.Count);
    }

    [Fact]
    public async Task A_dry_run_sends_nothing_and_describes_the_request_it_would_send()
    {
        await using var endpoint = await FlagEndpoint.StartAsync();

        var outcome = await FlipAsync(endpoint, retries: 2, timeout: "5s", dryRun: true);

        var dryRun = Assert.IsType<ActionOutcome.DryRun>(outcome);
        Assert.Equal($$"""would send PUT {{endpoint.Url}} with body {"name": "recommendations", "enabled": false}""", dryRun.Details["dryRunResult"]);
        Assert.Empty(endpoint.Requests);
    }

    private static async Task<ActionOutcome> FlipAsync(FlagEndpoint endpoint, int retries, string timeout, bool dryRun = false)
    {
        var settings = new FeatureFlagAction
        {
            Flag = HttpFlagManifests.Flag,
            Value = "false",
            Provider = FeatureFlagProviderType.Http,
            Http = new HttpFlagProvider { Url = endpoint.Url, Method = "PUT", Body = HttpFlagManifests.BodyTemplate, Timeout = timeout, Retries = retries },
        };
        var change = new ActionChange.FlipFlag(settings, settings.Flag, settings.Provider, null, "false", "true", false);

        // No authSecretRef: the Kubernetes client is never called; it points at a closed loopback port to make sure.
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:9" });
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        return await new HttpFlag(client, http, FirstRetryDelay).ExecuteAsync(OperatorCluster.Namespace, change, dryRun, TestContext.Current.CancellationToken);
    }
}
