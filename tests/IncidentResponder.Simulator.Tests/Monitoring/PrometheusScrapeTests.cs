using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Kubelet;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Tests.Monitoring;

/// <summary>
/// A real Prometheus scraping the simulator's <c>/sim/metrics</c> every second: the queries the operator will run to
/// tell a bad revision from a good one give the numbers the faults promise.
/// </summary>
public sealed class PrometheusScrapeTests
{
    private const string ErrorRatio =
        """sum by (deployment, pod_template_hash) (rate(http_requests_total{code=~"5.."}[30s])) / sum by (deployment, pod_template_hash) (rate(http_requests_total[30s]))""";

    private static string HashOf(ClusterHarness harness, string app) =>
        harness.Cluster.Store.List(BuiltinResources.Pods, "default", $"app={app}").Select(pod => (string)pod["metadata"]!["labels"]![PodTemplateHash.Label]!).Distinct().Single();

    /// <summary>Waits until Prometheus holds at least <paramref name="samples"/> scrapes of every series of the simulator.</summary>
    private static Task WaitForScrapesAsync(PrometheusServer prometheus, int samples, int seriesAtLeast) =>
        Eventually.TrueAsync(async () =>
        {
            var counts = await prometheus.QueryAsync($"count_over_time(http_requests_total{{job=\"{PrometheusServer.Job}\"}}[1m])");
            return counts.Count >= seriesAtLeast && counts.All(c => PrometheusServer.Value(c) >= samples);
        }, $"{samples} scrapes of {seriesAtLeast} series", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250));

    [Fact]
    public async Task The_5xx_ratio_by_revision_is_the_fault_ratio_for_an_errors_revision_and_zero_for_a_healthy_one()
    {
        if (PrometheusServer.Unavailable() is { } why)
        {
            Assert.Skip(why);
        }

        await using var harness = await MonitoredCluster.StartAsync();
        await MonitoredCluster.DeployAsync(harness, "web", 2);
        await MonitoredCluster.DeployAsync(harness, "checkout", 1, new Dictionary<string, string> { [FaultSpec.FaultAnnotation] = "errors" });
        await using var prometheus = await PrometheusServer.StartAsync(harness.Cluster.MetricsAddress!);
        await WaitForScrapesAsync(prometheus, samples: 6, seriesAtLeast: 6);

        var ratios = (await prometheus.QueryAsync(ErrorRatio)).ToDictionary(
            r => ((string)r!["metric"]!["deployment"]!, (string)r["metric"]!["pod_template_hash"]!), PrometheusServer.Value);

        Assert.Equal(2, ratios.Count);
        Assert.InRange(ratios[("checkout", HashOf(harness, "checkout"))], 0.27, 0.33);
        Assert.Equal(0, ratios[("web", HashOf(harness, "web"))]);
        // rate() over a window longer than the series' life divides by the whole window; irate() reads the last two scrapes.
        var rate = PrometheusServer.Value(Assert.Single(await prometheus.QueryAsync("""sum(irate(http_requests_total{deployment="web"}[30s]))""")));
        Assert.InRange(rate, 18, 22);
    }

    [Fact]
    public async Task Counters_never_go_down_across_scrapes_and_a_slow_revision_shows_in_the_p99()
    {
        if (PrometheusServer.Unavailable() is { } why)
        {
            Assert.Skip(why);
        }

        await using var harness = await MonitoredCluster.StartAsync();
        await MonitoredCluster.DeployAsync(harness, "web", 1);
        await MonitoredCluster.DeployAsync(harness, "search", 1, new Dictionary<string, string>
        {
            [FaultSpec.FaultAnnotation] = "slow", [FaultSpec.FaultLatencyAnnotation] = "3s",
        });
        await using var prometheus = await PrometheusServer.StartAsync(harness.Cluster.MetricsAddress!);
        await WaitForScrapesAsync(prometheus, samples: 5, seriesAtLeast: 4);

        var resets = (await prometheus.QueryAsync("resets(http_requests_total[1m])")).Concat(await prometheus.QueryAsync("resets(http_request_duration_seconds_bucket[1m])")).ToList();
        var growth = await prometheus.QueryAsync("""increase(http_requests_total{code="200"}[1m])""");
        var p99 = (await prometheus.QueryAsync("histogram_quantile(0.99, sum by (deployment, le) (rate(http_request_duration_seconds_bucket[30s])))"))
            .ToDictionary(r => (string)r!["metric"]!["deployment"]!, PrometheusServer.Value);

        Assert.Equal(4 + (4 * 12), resets.Count);
        Assert.All(resets, r => Assert.Equal(0, PrometheusServer.Value(r)));
        Assert.All(growth, r => Assert.True(PrometheusServer.Value(r) > 0, $"{r} did not grow"));
        Assert.InRange(p99["web"], 0.02, 0.05);
        Assert.InRange(p99["search"], 2.5, 5);
        Assert.Equal(2, growth.Count);
    }
}
