using IncidentResponder.Runtime.Informers;
using IncidentResponder.Runtime.Metrics;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace IncidentResponder.Runtime.Tests.Simulated;

/// <summary>
/// A watch the informer replaces (here: judged stalled on a quiet namespace) must close its HTTP connection, or every
/// replacement leaves a socket and a server-side watcher behind until the server's own timeout. With KubernetesClient
/// 21.0.8 and .NET 10 cancelling the watch's enumeration aborts the response stream and its connection; this pins that.
/// </summary>
public sealed class WatchReplacementTests
{
    [Fact]
    public async Task Fifty_replaced_watches_leave_no_open_watch_connections_behind()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await SimulatorSession.StartAsync();
        var metrics = RuntimeMetrics.CreateIsolated();
        var informer = new Informer<V1Pod, CachedResource<V1Pod>>(
            KubernetesSources.Pods(session.Client, "quiet"),
            CachedResource<V1Pod>.Project,
            new InformerOptions { StallTimeout = TimeSpan.FromMilliseconds(100) },
            metrics,
            NullLogger.Instance,
            TimeProvider.System);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = informer.RunAsync(stop.Token);
        // The count is live: the informer's watch shows up in it while open.
        await Eventually.TrueAsync(() => session.Hooks.OpenWatchCount() >= 1, "the informer's watch counted", TimeSpan.FromSeconds(20));

        await Eventually.TrueAsync(() => metrics.WatchRestarts.WithLabels("pods", "stalled").Value >= 50, "50 watches replaced", TimeSpan.FromSeconds(60));

        // The simulator counts a watch until its connection ends; the informer has at most its current one open.
        await Eventually.TrueAsync(() => session.Hooks.OpenWatchCount() <= 2, "the replaced watches' connections closed", TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await running;
    }
}
