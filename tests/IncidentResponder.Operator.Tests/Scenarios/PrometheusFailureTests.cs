using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.MetricsAnalysis;
using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Runtime.Health;
using k8s;
using StatusConditions = IncidentResponder.Runtime.Status.Conditions;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>
/// A Prometheus that is down, too slow or answers garbage blinds metric analysis: while a rollout serves errors that
/// only metrics could show, no incident opens, readiness is degraded (not unhealthy), and the policy's
/// MetricsAvailable condition says why. A query Prometheus refuses is reported with Prometheus' own parser message.
/// </summary>
public sealed class PrometheusFailureTests
{
    private static readonly HttpClient Http = new();

    public static TheoryData<string, int, string, bool, string> Misbehaving => new()
    {
        { "too slow", 200, "{}", true, "no answer within the timeout of 500ms" },
        { "not JSON", 200, "<html><body>502 Bad Gateway</body></html>", false, "HTTP 200: the answer is not JSON" },
        { "status error", 503, """{"status":"error","errorType":"unavailable","error":"TSDB not ready"}""", false, "HTTP 503: unavailable: TSDB not ready" },
        { "wrong result type", 200, """{"status":"success","data":{"resultType":"matrix","result":[]}}""", false, "result type matrix" },
    };

    [Theory]
    [MemberData(nameof(Misbehaving))]
    public async Task A_misbehaving_prometheus_opens_no_incident_degrades_readiness_and_says_why_in_the_policy(
        string name, int status, string body, bool hang, string expected)
    {
        await using var fake = await FakePrometheus.StartAsync(status, body, hang);
        await using var cluster = await OperatorCluster.StartAsync();
        var running = await StartAsync(cluster, fake.Url);

        await cluster.BadRolloutAsync("web", "errors");
        (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=60s")).ShouldSucceed();
        var hash = await NewHashAsync(cluster);
        // Asked about the serving (bad) revision for longer than the check's 'for' (3 s at one query per 0.5 s or more).
        await Eventually.TrueAsync(() => Task.FromResult(fake.Queries.Count(q => q.Contains(hash, StringComparison.Ordinal)) >= 8),
            $"{name}: the operator kept asking about the new revision", TimeSpan.FromSeconds(60));

        await ExpectBlindAsync(cluster, running, MetricsSettings.UnavailableReason, expected);
    }

    [Fact]
    public async Task A_prometheus_that_is_down_opens_no_incident_degrades_readiness_and_says_why_in_the_policy()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        var running = await StartAsync(cluster, $"http://127.0.0.1:{ClosedPort()}");
        await cluster.BadRolloutAsync("web", "errors");
        (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=60s")).ShouldSucceed();

        await ExpectBlindAsync(cluster, running, MetricsSettings.UnavailableReason, "connection failed");
    }

    [Fact]
    public async Task A_query_prometheus_cannot_parse_is_reported_in_the_policy_with_prometheus_own_message()
    {
        if (PrometheusServer.Unavailable() is { } why)
        {
            Assert.Skip(why);
        }

        await using var cluster = await OperatorCluster.StartAsync(metrics: new Simulator.Metrics.SimulatedMetricsOptions());
        await using var prometheus = await PrometheusServer.StartAsync(cluster.Cluster.MetricsAddress!);
        // Balanced braces pass the apply-time rule; the missing parenthesis is for Prometheus' parser to find.
        await cluster.Kubectl.ApplyAsync(MetricsManifests.RunbookAndPolicy(prometheus.BaseAddress.ToString().TrimEnd('/'),
            query: "sum(rate(http_requests_total{deployment=\"{{deployment}}\"}[1m])"));
        await cluster.CreateDeploymentAsync("web");
        cluster.StartOperator();

        var condition = await Eventually.ValueAsync(async () => StatusConditions.Find((await PolicyAsync(cluster)).Status?.Conditions, MetricsSettings.AvailableCondition)
            is { Status: StatusConditions.False } c ? c : null, "MetricsAvailable=False");
        Assert.Equal(MetricsSettings.QueryRejectedReason, condition.Reason);
        Assert.Contains("check error-ratio: bad_data:", condition.Message, StringComparison.Ordinal);
        Assert.Contains("parse error", condition.Message, StringComparison.Ordinal);
        Assert.Empty(await cluster.IncidentsAsync());
    }

    private static async Task<RunningOperator> StartAsync(OperatorCluster cluster, string url)
    {
        await cluster.Kubectl.ApplyAsync(MetricsManifests.RunbookAndPolicy(url, timeout: "500ms"));
        await cluster.CreateDeploymentAsync("web");
        var options = OperatorCluster.FastOptions() with { Health = new HealthServerOptions { Url = "http://127.0.0.1:0" } };
        return cluster.StartOperator(options);
    }

    private static async Task ExpectBlindAsync(OperatorCluster cluster, RunningOperator running, string reason, string expected)
    {
        var condition = await Eventually.ValueAsync(async () => StatusConditions.Find((await PolicyAsync(cluster)).Status?.Conditions, MetricsSettings.AvailableCondition)
            is { Status: StatusConditions.False } c && c.Message.Contains(expected, StringComparison.Ordinal) ? c : null, $"MetricsAvailable=False saying {expected}");
        Assert.Equal(reason, condition.Reason);
        var report = await Eventually.ValueAsync(async () =>
        {
            if (running.Instance.Manager.HealthServer is not { } server)
            {
                return null;
            }

            using var response = await Http.GetAsync(new Uri(server.Address, "/readyz"), TestContext.Current.CancellationToken);
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
            return response.StatusCode == HttpStatusCode.OK && (string?)json["checks"]?[MetricsHealth.CheckName]?["status"] == "degraded" ? json : null;
        }, "readiness degraded by the prometheus check");
        Assert.Equal("degraded", (string?)report["status"]);
        Assert.Contains(expected, (string?)report["checks"]![MetricsHealth.CheckName]!["message"], StringComparison.Ordinal);
        Assert.Empty(await cluster.IncidentsAsync());
    }

    private static async Task<string> NewHashAsync(OperatorCluster cluster)
    {
        var deployment = await cluster.DeploymentAsync("web");
        var revision = deployment.Metadata.Annotations["deployment.kubernetes.io/revision"];
        var replicaSets = await cluster.Client.AppsV1.ListNamespacedReplicaSetAsync(OperatorCluster.Namespace, cancellationToken: TestContext.Current.CancellationToken);
        return replicaSets.Items.Single(rs => rs.Metadata.Annotations["deployment.kubernetes.io/revision"] == revision).Metadata.Labels["pod-template-hash"];
    }

    private static async Task<RemediationPolicy> PolicyAsync(OperatorCluster cluster) =>
        await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync<RemediationPolicy>(GroupVersion.Group, GroupVersion.Version,
            OperatorCluster.Namespace, RemediationPolicy.Plural, Manifests.PolicyName, TestContext.Current.CancellationToken);

    /// <summary>A loopback port nothing listens on: bound, read and released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

}
