using System.Net;
using System.Net.Sockets;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Egress;
using IncidentResponder.Operator.Actions;
using IncidentResponder.Operator.Egress;
using IncidentResponder.Operator.Notifications;
using IncidentResponder.Operator.Tests.Notifications;

namespace IncidentResponder.Operator.Tests.Egress;

/// <summary>
/// A tenant's runbook aims the HTTP flag provider (or a notification target) at the operator's own network. Each
/// attempt is refused at connect time, and what the tenant reads back names the kind of failure, never an address.
/// </summary>
public sealed class HttpFlagEgressTests
{
    public static TheoryData<string> InternalUrls() => new()
    {
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://10.96.0.1:443/api",
        "http://[::ffff:169.254.169.254]/",
    };

    [Theory]
    [MemberData(nameof(InternalUrls))]
    public async Task A_runbook_probing_an_internal_address_is_refused_and_told_only_that(string url)
    {
        await using var harness = await ClusterHarness.StartAsync();
        using var client = harness.Client();
        using var http = EgressHttp.CreateClient(EgressPolicy.Default);

        var outcome = await new HttpFlag(client, http, TimeSpan.FromMilliseconds(10))
            .ExecuteAsync("default", Flip(url), dryRun: false, TestContext.Current.CancellationToken);

        var skipped = Assert.IsType<ActionOutcome.Skipped>(outcome);
        Assert.EndsWith("failed after 1 attempt(s): egress refused by policy", skipped.Message, StringComparison.Ordinal);
        AssertNoAddress(skipped.Message);
    }

    [Fact]
    public async Task A_loopback_port_not_allowed_is_refused_while_an_allowed_one_answers()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var harness = await ClusterHarness.StartAsync();
        using var client = harness.Client();
        using var closed = EgressHttp.CreateClient(EgressPolicy.Default);
        using var open = EgressHttp.CreateClient(new EgressPolicy { Allow = ["127.0.0.1"] });

        var refused = await new HttpFlag(client, closed, TimeSpan.FromMilliseconds(10)).ExecuteAsync("default", Flip(receiver.Url), false, TestContext.Current.CancellationToken);
        var applied = await new HttpFlag(client, open, TimeSpan.FromMilliseconds(10)).ExecuteAsync("default", Flip(receiver.Url), false, TestContext.Current.CancellationToken);

        Assert.EndsWith(EgressFailure.Refused, Assert.IsType<ActionOutcome.Skipped>(refused).Message, StringComparison.Ordinal);
        AssertNoAddress(((ActionOutcome.Skipped)refused).Message);
        Assert.IsType<ActionOutcome.Applied>(applied);
    }

    [Fact]
    public async Task An_allowed_address_with_nothing_listening_reads_connection_failed_without_the_socket_error()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var harness = await ClusterHarness.StartAsync();
        using var client = harness.Client();
        using var http = EgressHttp.CreateClient(new EgressPolicy { Allow = ["127.0.0.1"] });

        var outcome = await new HttpFlag(client, http, TimeSpan.FromMilliseconds(10))
            .ExecuteAsync("default", Flip($"http://127.0.0.1:{port}/flags", retries: 1), false, TestContext.Current.CancellationToken);

        var skipped = Assert.IsType<ActionOutcome.Skipped>(outcome);
        Assert.EndsWith("failed after 2 attempt(s): connection failed", skipped.Message, StringComparison.Ordinal);
        AssertNoAddress(skipped.Message);
        Assert.DoesNotContain("refused", skipped.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_webhook_target_at_the_metadata_address_fails_as_egress_refused_without_retries()
    {
        using var http = EgressHttp.CreateClient(EgressPolicy.Default);
        var pipeline = new DeliveryPipeline(http, NotificationScenario.FastDelivery with { Retries = 3 });

        var outcome = await pipeline.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "http://169.254.169.254/hook"), TestContext.Current.CancellationToken);

        var failed = Assert.IsType<DeliveryOutcome.Failed>(outcome);
        Assert.Equal(1, failed.Attempts);
        Assert.Equal("egress refused by policy after 1 attempt(s)", failed.Message);
    }

    private static void AssertNoAddress(string text)
    {
        Assert.DoesNotMatch(@"\d+\.\d+\.\d+\.\d+", text);
        Assert.DoesNotContain("::", text, StringComparison.Ordinal);
    }

    private static ActionChange.FlipFlag Flip(string url, int retries = 0)
    {
        var settings = new FeatureFlagAction
        {
            Flag = "payments",
            Value = "false",
            Provider = FeatureFlagProviderType.Http,
            Http = new HttpFlagProvider { Url = url, Retries = retries, Timeout = "2s" },
        };
        return new ActionChange.FlipFlag(settings, settings.Flag, settings.Provider, null, settings.Value, RevertTo: null, RevertOnResolve: false);
    }
}
