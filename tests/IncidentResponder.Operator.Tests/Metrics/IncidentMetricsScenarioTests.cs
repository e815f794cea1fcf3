using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.Metrics;
using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Runtime.Health;

namespace IncidentResponder.Operator.Tests.Metrics;

/// <summary>
/// A bad rollout taken to resolution, seen through /metrics: the incident in the gauge with its phase, the rollback
/// counted once as succeeded, time to detect and to mitigate observed once each, whatever else touches the Incident;
/// a restarted operator does not count the past again, and a deleted Incident leaves the gauge.
/// </summary>
public sealed class IncidentMetricsScenarioTests
{
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task A_rolled_back_incident_is_counted_once_and_leaves_the_gauge_when_deleted()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync();
        await cluster.CreateDeploymentAsync("web");
        var first = cluster.StartOperator(OperatorCluster.FastOptions() with { Health = new HealthServerOptions { Url = "http://127.0.0.1:0" } });

        await cluster.BadRolloutAsync("web", "crashloop");
        var incident = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);
        var status = incident.Status!;
        var severity = IncidentMetricLabels.Severity(status.Severity!.Value);

        // The gauge is computed from the informer cache at scrape time: wait for the cache to have seen "Resolved".
        var scrape = await ScrapeUntilAsync(first, s => s.Value(IncidentMetrics.IncidentsName, ("severity", severity), ("phase", "Resolved")) == 1,
            "the resolved incident in the gauge");
        Assert.Equal(1, scrape.Sum(IncidentMetrics.IncidentsName));
        Assert.Equal(1, scrape.Value(IncidentMetrics.ActionsName, ("type", "RolloutUndo"), ("outcome", "succeeded")));
        Assert.Equal(1, scrape.Sum(IncidentMetrics.ActionsName));
        Assert.Equal(1, scrape.Value(IncidentMetrics.TimeToDetectName + "_count"));
        Assert.Equal((status.OpenedAt!.Value - status.DetectedAt!.Value).TotalSeconds, scrape.Value(IncidentMetrics.TimeToDetectName + "_sum"), 3);
        Assert.Equal(1, scrape.Value(IncidentMetrics.TimeToMitigateName + "_count"));
        Assert.Equal((status.MitigatedAt!.Value - status.DetectedAt!.Value).TotalSeconds, scrape.Value(IncidentMetrics.TimeToMitigateName + "_sum"), 3);

        // More writes to the same Incident (each an informer update carrying the same final status) count nothing more.
        var addsBefore = scrape.Value("workqueue_adds_total", ("name", IncidentReconciler.Name), ("controller", IncidentReconciler.Name));
        for (var i = 0; i < 3; i++)
        {
            (await cluster.Kubectl.RunAsync("annotate", "--overwrite", "incident", incident.Metadata.Name, $"example.com/touched={i}")).ShouldSucceed();
        }

        scrape = await ScrapeUntilAsync(first, s => s.Value("workqueue_adds_total", ("name", IncidentReconciler.Name), ("controller", IncidentReconciler.Name)) >= addsBefore + 3,
            "the three updates delivered by the informer");
        Assert.Equal(1, scrape.Sum(IncidentMetrics.ActionsName));
        Assert.Equal(1, scrape.Value(IncidentMetrics.TimeToDetectName + "_count"));
        Assert.Equal(1, scrape.Value(IncidentMetrics.TimeToMitigateName + "_count"));

        // A restart: the new process sees the incident in its initial list and reports it, but counts nothing already done.
        await first.DisposeAsync();
        var second = cluster.StartOperator(name: "restarted");
        scrape = await ScrapeRegistryUntilAsync(second, s => s.Value(IncidentMetrics.IncidentsName, ("severity", severity), ("phase", "Resolved")) == 1,
            "the restarted operator's gauge showing the resolved incident");
        Assert.Equal(0, scrape.Sum(IncidentMetrics.ActionsName));
        Assert.Equal(0, scrape.Value(IncidentMetrics.TimeToDetectName + "_count"));
        Assert.Equal(0, scrape.Value(IncidentMetrics.TimeToMitigateName + "_count"));

        (await cluster.Kubectl.RunAsync("delete", "incident", incident.Metadata.Name)).ShouldSucceed();
        scrape = await ScrapeRegistryUntilAsync(second, s => s.Sum(IncidentMetrics.IncidentsName) == 0, "the deleted incident gone from the gauge");
        Assert.Equal(0, scrape.Value(IncidentMetrics.IncidentsName, ("severity", severity), ("phase", "Resolved")));
    }

    /// <summary>Scrapes the operator's /metrics endpoint over HTTP until <paramref name="condition"/> holds.</summary>
    private static async Task<IReadOnlyList<Sample>> ScrapeUntilAsync(RunningOperator running, Func<IReadOnlyList<Sample>, bool> condition, string what)
    {
        IReadOnlyList<Sample> last = [];
        await Eventually.TrueAsync(async () =>
        {
            if (running.Instance.Manager.HealthServer is not { } server)
            {
                return false;
            }

            last = Exposition.Parse(await Http.GetStringAsync(new Uri(server.Address, "/metrics"), TestContext.Current.CancellationToken));
            return Holds(condition, last);
        }, what);
        return last;
    }

    /// <summary>Reads the operator's registry directly (an instance started without probes serves no endpoint).</summary>
    private static async Task<IReadOnlyList<Sample>> ScrapeRegistryUntilAsync(RunningOperator running, Func<IReadOnlyList<Sample>, bool> condition, string what)
    {
        IReadOnlyList<Sample> last = [];
        await Eventually.TrueAsync(async () =>
        {
            using var stream = new MemoryStream();
            await running.Instance.Metrics.Registry.CollectAndExportAsTextAsync(stream, TestContext.Current.CancellationToken);
            last = Exposition.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
            return Holds(condition, last);
        }, what);
        return last;
    }

    /// <summary>A series not exported yet (e.g. no reconcile so far) is "not yet", not a failure.</summary>
    private static bool Holds(Func<IReadOnlyList<Sample>, bool> condition, IReadOnlyList<Sample> samples)
    {
        try
        {
            return condition(samples);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
