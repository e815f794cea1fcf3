using System.Net;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Health;
using IncidentResponder.Runtime.Hosting;
using IncidentResponder.Runtime.Informers;
using IncidentResponder.Runtime.Metrics;
using IncidentResponder.Runtime.Tests.Controllers;
using IncidentResponder.Runtime.Tests.Informers;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace IncidentResponder.Runtime.Tests.Health;

public sealed class ControllerManagerHealthTests
{
    [Fact]
    public async Task Readyz_fails_until_caches_sync_then_passes_and_metrics_use_controller_runtime_names()
    {
        var metrics = RuntimeMetrics.CreateIsolated();
        // The first LIST fails and the next comes 3 s later: time enough to see /readyz fail on a busy machine.
        var source = new FakePodSource { FailNextList = new HttpRequestException("apiserver down") };
        source.Objects["a"] = FakePodSource.Pod("a", "1");
        var informer = new Informer<V1Pod, PodSummary>(source, PodSummary.Projection(new StringPool()), new InformerOptions { InitialBackoff = TimeSpan.FromSeconds(3), BackoffJitter = 0 }, metrics, NullLogger.Instance, TimeProvider.System);
        var reconciler = new ScriptedReconciler((_, _, _) => Task.FromResult(ReconcileResult.Done));
        using var controller = new Controller(new ControllerOptions { Name = "pods" }, reconciler, metrics, NullLogger.Instance, TimeProvider.System);
        controller.For(informer);
        var manager = new ControllerManager(new ManagerOptions { Health = new HealthServerOptions { Url = "http://127.0.0.1:0" } }, metrics, NullLoggerFactory.Instance);
        manager.Add(informer);
        manager.Add(controller);
        using var stop = new CancellationTokenSource();
        var running = manager.RunAsync(stop.Token);
        using var http = new HttpClient();

        await Eventually.TrueAsync(() => manager.HealthServer is not null, "health server started");
        var address = manager.HealthServer!.Address;
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(address, "/healthz"), TestContext.Current.CancellationToken)).StatusCode);
        var notReady = await http.GetAsync(new Uri(address, "/readyz"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        var report = System.Text.Json.Nodes.JsonNode.Parse(await notReady.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal("unhealthy", (string?)report["status"]);
        Assert.Equal("error", (string?)report["checks"]!["informer-sync:pods"]!["status"]);
        Assert.Equal("1 of 1 informer(s) not synced yet", (string?)report["checks"]!["informer-sync:pods"]!["message"]);

        await Eventually.TrueAsync(() => reconciler.CallsFor(new ReconcileRequest("ns", "a")) == 1, "synced and reconciled", TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(address, "/readyz"), TestContext.Current.CancellationToken)).StatusCode);

        var exposition = await http.GetStringAsync(new Uri(address, "/metrics"), TestContext.Current.CancellationToken);
        foreach (var name in new[]
        {
            "controller_runtime_reconcile_total{controller=\"pods\",result=\"success\"} 1",
            "controller_runtime_max_concurrent_reconciles{controller=\"pods\"} 1",
            "controller_runtime_reconcile_time_seconds_count{controller=\"pods\"} 1",
            "workqueue_adds_total{name=\"pods\",controller=\"pods\"} 1",
            "workqueue_depth{name=\"pods\",controller=\"pods\"} 0",
            "workqueue_longest_running_processor_seconds{name=\"pods\",controller=\"pods\"} 0",
            "informer_relists_total{resource=\"pods\",reason=\"initial\"} 1",
            "informer_store_objects{resource=\"pods\"} 1",
        })
        {
            Assert.Contains(name, exposition, StringComparison.Ordinal);
        }

        await stop.CancelAsync();
        await running;
    }
}
