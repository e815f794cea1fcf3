using System.Net;
using System.Text.Json.Nodes;
using IncidentResponder.Operator.Hosting;
using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Runtime.Health;
using IncidentResponder.Runtime.LeaderElection;
using k8s;

namespace IncidentResponder.Operator.Tests.Health;

/// <summary>
/// The operator's /readyz against the simulated cluster: the API server, informer and leader checks healthy while the
/// cluster answers, a plugged-in non-critical check only degrading it, and unhealthy (503) once the API server cannot
/// be reached.
/// </summary>
public sealed class ReadinessScenarioTests
{
    private static readonly HttpClient Http = new();

    private static readonly HealthServerOptions Probes = new() { Url = "http://127.0.0.1:0" };

    [Fact]
    public async Task A_leading_operator_is_ready_and_a_failing_optional_part_only_degrades_it()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        var options = OperatorCluster.FastOptions() with
        {
            Health = Probes,
            LeaderElection = new LeaderElectionOptions
            {
                LeaseName = "incident-responder-leader",
                LeaseNamespace = OperatorCluster.Namespace,
                Identity = "readiness-test",
                LeaseDuration = TimeSpan.FromSeconds(4),
                RenewDeadline = TimeSpan.FromSeconds(3),
                RetryPeriod = TimeSpan.FromMilliseconds(500),
            },
            ReadinessChecks = [new AsyncHealthCheck("history-store", _ => Task.FromResult(HealthCheckResult.Unhealthy("connection refused")), critical: false)],
        };
        var instance = OperatorAssembly.Create(cluster.Client, options, TestOutputLoggerProvider.Factory("operator"), TimeProvider.System, new FailOnLeadershipLoss());
        await using var running = new RunningOperator(instance);

        var (code, report) = await ReadyzUntilAsync(instance, r => Message(r, "leader-election") == "leading" && Status(r, "api-server") == "ok"
            && r["checks"]!.AsObject().Where(c => c.Key.StartsWith("informer-sync:", StringComparison.Ordinal)).All(c => (string?)c.Value!["status"] == "ok"),
            "leading, the API server reachable and every informer synced");

        Assert.True(code == HttpStatusCode.OK && (string?)report["status"] == "degraded", $"{(int)code}: {report.ToJsonString()}");
        Assert.StartsWith("reachable, v1.", Message(report, "api-server"), StringComparison.Ordinal);
        Assert.True((double)report["checks"]!["api-server"]!["latencyMs"]! >= 0);
        Assert.Equal("degraded", Status(report, "history-store"));
        Assert.Equal("connection refused", Message(report, "history-store"));
        foreach (var resource in new[] { "deployments", "replicasets", "pods", "incidents", "runbooks", "remediationpolicies" })
        {
            Assert.Equal("ok", Status(report, $"informer-sync:{resource}"));
        }
    }

    [Fact]
    public async Task Readyz_reports_the_api_server_healthy_then_unhealthy_after_it_becomes_unreachable()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await using var relay = new TcpRelay(cluster.Cluster.BaseAddress);
        var configuration = cluster.Cluster.ClientConfiguration();
        configuration.Host = relay.Address.GetLeftPart(UriPartial.Authority);
        using var client = new Kubernetes(configuration);
        var instance = OperatorAssembly.Create(client, OperatorCluster.FastOptions() with { Health = Probes }, TestOutputLoggerProvider.Factory("operator"), TimeProvider.System);
        await using var running = new RunningOperator(instance);

        var (code, report) = await ReadyzUntilAsync(instance, r => (string?)r["status"] == "healthy", "every check healthy");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("ok", Status(report, "api-server"));

        await relay.CutAsync();

        (code, report) = await ReadyzUntilAsync(instance, r => Status(r, "api-server") == "error", "the API server check failing");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal("unhealthy", (string?)report["status"]);
        Assert.StartsWith("GET /version failed", Message(report, "api-server"), StringComparison.Ordinal);
    }

    private static string? Status(JsonNode report, string check) => (string?)report["checks"]?[check]?["status"];

    private static string? Message(JsonNode report, string check) => (string?)report["checks"]?[check]?["message"];

    private static async Task<(HttpStatusCode Code, JsonNode Report)> ReadyzUntilAsync(OperatorInstance instance, Func<JsonNode, bool> condition, string what)
    {
        (HttpStatusCode, JsonNode) last = default;
        await Eventually.TrueAsync(async () =>
        {
            if (instance.Manager.HealthServer is not { } server)
            {
                return false;
            }

            using var response = await Http.GetAsync(new Uri(server.Address, "/readyz"), TestContext.Current.CancellationToken);
            var report = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
            last = (response.StatusCode, report);
            return condition(report);
        }, what);
        return last;
    }

    private sealed class FailOnLeadershipLoss : ILeadershipLossHandler
    {
        public void OnLeadershipLost() => Assert.Fail("the only operator instance lost its leadership");
    }
}
