using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Kubelet;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Tests.Monitoring;

/// <summary>
/// Services and kube-apiserver's service proxy: what a health probe through
/// <c>/api/v1/namespaces/{ns}/services/{name}:{port}/proxy/{path}</c> sees of the pods a Service selects.
/// </summary>
public sealed class ServiceProxyTests
{
    private static string ProxyPath(string service, string path = "healthz") => $"api/v1/namespaces/default/services/{service}/proxy/{path}";

    [Fact]
    public async Task Kubectl_applies_a_service_and_gets_it_with_a_cluster_ip_from_the_service_range()
    {
        await using var harness = await MonitoredCluster.StartAsync();
        await MonitoredCluster.ExposeAsync(harness, "web", "web");

        var row = (await harness.KubectlAsync("get", "service", "web", "--no-headers")).ShouldSucceed().Stdout;
        var spec = (await harness.KubectlAsync("get", "service", "web", "-o", "jsonpath={.spec.clusterIP} {.spec.selector.app} {.spec.ports[0].name}")).ShouldSucceed().Stdout;

        Assert.Matches(@"^web\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80/TCP\s", row);
        Assert.Matches(@"^10\.96\.\d+\.\d+ web http$", spec);
    }

    [Fact]
    public async Task A_health_probe_through_the_proxy_answers_ok_from_healthy_ready_pods()
    {
        await using var harness = await MonitoredCluster.StartAsync();
        await MonitoredCluster.DeployAsync(harness, "web", 2);
        await MonitoredCluster.ExposeAsync(harness, "web", "web");

        var byKubectl = (await harness.KubectlAsync("get", "--raw", "/" + ProxyPath("web:http"))).ShouldSucceed().Stdout;
        using var http = MonitoredCluster.ApiClient(harness);
        var codes = new List<HttpStatusCode>();
        foreach (var target in new[] { "web", "web:80", "http:web:http" })
        {
            using var response = await http.GetAsync(ProxyPath(target), TestContext.Current.CancellationToken);
            codes.Add(response.StatusCode);
        }

        Assert.Equal("ok", byKubectl);
        Assert.All(codes, code => Assert.Equal(HttpStatusCode.OK, code));
    }

    [Fact]
    public async Task Pods_with_the_errors_fault_fail_their_ratio_of_probes_with_503()
    {
        await using var harness = await MonitoredCluster.StartAsync();
        await MonitoredCluster.DeployAsync(harness, "checkout", 1, new Dictionary<string, string>
        {
            [FaultSpec.FaultAnnotation] = "errors", [FaultSpec.FaultRatioAnnotation] = "0.5",
        });
        await MonitoredCluster.ExposeAsync(harness, "checkout", "checkout");

        using var http = MonitoredCluster.ApiClient(harness);
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await http.GetAsync(ProxyPath("checkout:http"), TestContext.Current.CancellationToken);
            codes.Add(response.StatusCode);
        }

        Assert.Equal(5, codes.Count(code => code == HttpStatusCode.ServiceUnavailable));
        Assert.Equal(5, codes.Count(code => code == HttpStatusCode.OK));
        var pods = (await harness.KubectlAsync("get", "pods", "-l", "app=checkout", "--no-headers")).ShouldSucceed().Stdout;
        Assert.Matches(@"\s1/1\s+Running\s+0\s", pods);
    }

    [Fact]
    public async Task A_slow_pod_really_delays_the_answer_by_its_latency()
    {
        await using var harness = await MonitoredCluster.StartAsync();
        await MonitoredCluster.DeployAsync(harness, "search", 1, new Dictionary<string, string>
        {
            [FaultSpec.FaultAnnotation] = "slow", [FaultSpec.FaultLatencyAnnotation] = "700ms",
        });
        await MonitoredCluster.ExposeAsync(harness, "search", "search");

        using var http = MonitoredCluster.ApiClient(harness);
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(ProxyPath("search:http"), TestContext.Current.CancellationToken);
        clock.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(690), $"answered after {clock.Elapsed}");
    }

    [Fact]
    public async Task A_client_that_gives_up_on_a_slow_pod_ends_the_request_at_once_instead_of_after_the_latency()
    {
        await using var harness = await MonitoredCluster.StartAsync();
        await MonitoredCluster.DeployAsync(harness, "search", 1, new Dictionary<string, string>
        {
            [FaultSpec.FaultAnnotation] = "slow", [FaultSpec.FaultLatencyAnnotation] = "25s",
        });
        await MonitoredCluster.ExposeAsync(harness, "search", "search");

        using var http = MonitoredCluster.ApiClient(harness);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => http.GetAsync(ProxyPath("search:http"), giveUp.Token));

        // The server records a request when its handler ends: well before the 25 s latency when it honours the cancellation.
        await Eventually.TrueAsync(() => harness.Cluster.Hooks.AuditLog.Any(r => r.Path.Contains("/services/search:http/proxy/", StringComparison.Ordinal)),
            "the abandoned proxy request ended on the server", TimeSpan.FromSeconds(10));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the server held the request {clock.Elapsed}");
    }

    [Fact]
    public async Task Without_a_ready_endpoint_the_proxy_answers_503_as_kube_apiserver_does()
    {
        await using var harness = await MonitoredCluster.StartAsync();
        await MonitoredCluster.DeployAsync(harness, "web", 1, new Dictionary<string, string> { [FaultSpec.FaultAnnotation] = "unready" }, waitForRollout: false);
        await MonitoredCluster.ExposeAsync(harness, "web", "web");
        await Eventually.TrueAsync(
            () => harness.Cluster.Store.List(BuiltinResources.Pods, "default").Any(pod => (string?)pod["status"]?["phase"] == "Running"),
            "the web pod runs (its readiness probe failing)");
        await MonitoredCluster.ExposeAsync(harness, "orphan", "nothing-has-this-label");

        using var http = MonitoredCluster.ApiClient(harness);
        var unready = await StatusAsync(http, ProxyPath("web:http"));
        var orphan = await StatusAsync(http, ProxyPath("orphan"));
        var wrongPort = await StatusAsync(http, ProxyPath("orphan:9999"));
        var missing = await StatusAsync(http, ProxyPath("missing"));

        Assert.Equal((503, "ServiceUnavailable", "no endpoints available for service \"web\""), unready);
        Assert.Equal((503, "ServiceUnavailable", "no endpoints available for service \"orphan\""), orphan);
        Assert.Equal(503, wrongPort.Code);
        Assert.Equal((404, "NotFound", "services \"missing\" not found"), missing);
    }

    private static async Task<(int Code, string? Reason, string? Message)> StatusAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal((int)response.StatusCode, (int)status["code"]!);
        return ((int)response.StatusCode, (string?)status["reason"], (string?)status["message"]);
    }
}
