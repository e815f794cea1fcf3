using System.Globalization;
using System.Text.RegularExpressions;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Tests.Monitoring;

/// <summary>The <c>/sim/metrics</c> listener read over HTTP as a scraper reads it, without Prometheus.</summary>
public sealed partial class MetricsEndpointTests
{
    private static async Task<string> ScrapeAsync(ClusterHarness harness)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(harness.Cluster.MetricsAddress, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The value of each <c>http_requests_total</c> sample, keyed by its labels.</summary>
    private static Dictionary<string, long> Requests(string exposition) =>
        RequestsSample().Matches(exposition).ToDictionary(m => m.Groups["labels"].Value, m => long.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [Fact]
    public async Task Every_running_pod_is_exported_with_its_deployment_and_revision_and_an_image_fault_shows()
    {
        await using var harness = await MonitoredCluster.StartAsync();
        (await harness.KubectlAsync("create", "configmap", "sim-faults", "--from-literal=bad-web=nginx:1.25=errors")).ShouldSucceed();
        await MonitoredCluster.DeployAsync(harness, "web", 2);
        var pods = harness.Cluster.Store.List(BuiltinResources.Pods, "default", "app=web");
        var hash = (string)pods[0]["metadata"]!["labels"]![PodTemplateHash.Label]!;

        var first = Requests(await ScrapeAsync(harness));
        await Eventually.TrueAsync(async () => Requests(await ScrapeAsync(harness)).Values.Sum() > first.Values.Sum() + 20, "more requests counted");
        var second = Requests(await ScrapeAsync(harness));

        Assert.Equal(4, second.Count);
        foreach (var pod in pods.Select(p => (string)p["metadata"]!["name"]!))
        {
            var labels = $"namespace=\"default\",pod=\"{pod}\",deployment=\"web\",pod_template_hash=\"{hash}\"";
            Assert.True(second[$"{labels},code=\"500\""] > 0, $"{pod} answered no 500 although its image carries the errors fault");
            // floor(n x 0.3) of the pod's n requests so far: a young pod's share is below 0.3 by up to 1/n.
            var answered = second[$"{labels},code=\"500\""] + second[$"{labels},code=\"200\""];
            Assert.Equal((long)Math.Floor(answered * 0.3), second[$"{labels},code=\"500\""]);
        }

        Assert.All(first, pair => Assert.True(second[pair.Key] >= pair.Value, $"{pair.Key} went down"));
    }

    [Fact]
    public async Task The_metrics_listener_is_off_unless_asked_for()
    {
        await using var harness = await ClusterHarness.StartAsync();

        Assert.Null(harness.Cluster.MetricsAddress);
        Assert.Null(harness.Cluster.Options.Metrics);
    }

    [GeneratedRegex(@"^http_requests_total\{(?<labels>[^}]*)\} (?<value>\d+)$", RegexOptions.Multiline)]
    private static partial Regex RequestsSample();
}
