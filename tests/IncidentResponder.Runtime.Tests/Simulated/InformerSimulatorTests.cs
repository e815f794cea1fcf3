using System.Diagnostics;
using IncidentResponder.Runtime.Informers;
using IncidentResponder.Runtime.Metrics;
using IncidentResponder.Runtime.Tests.Support;
using IncidentResponder.Simulator;
using IncidentResponder.Simulator.Storage;
using k8s;
using k8s.Models;

namespace IncidentResponder.Runtime.Tests.Simulated;

[Collection(SerialCollection.Name)]
public sealed class InformerSimulatorTests : IAsyncDisposable
{
    private readonly RuntimeMetrics _metrics = RuntimeMetrics.CreateIsolated();
    private readonly CancellationTokenSource _stop = new();
    private readonly InformerRecorder _recorder = new();
    private readonly CapturingLogger _log = new();
    private SimulatorSession? _session;
    private Informer<V1Pod, PodSummary>? _informer;
    private Task? _running;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await _running;
        }

        if (_session is not null)
        {
            await _session.DisposeAsync();
        }

        foreach (var entry in _log.Entries.Take(20))
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"[informer-log] {entry.Level}: {entry.Message}");
        }

        _stop.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task After_compaction_and_410_the_store_matches_the_server_and_offline_deletes_arrive_as_deletes(bool expiredAsHttpStatus)
    {
        var session = await StartAsync(new SimulatorOptions { ExpiredWatchAsHttpStatus = expiredAsHttpStatus });
        for (var i = 0; i < 30; i++)
        {
            await session.CreatePodAsync($"pod-{i:D2}");
        }

        await StartInformerAsync(new InformerOptions { PageSize = 7 });
        await WaitUntilStoreMatchesServerAsync();
        await Eventually.TrueAsync(() => session.Hooks.OpenWatchCount(BuiltinResources.Pods) == 1, "watch open");

        // Changes the informer cannot see: the stream is stuck while they happen and their history is then compacted.
        Assert.Equal(1, session.Hooks.StallWatches(BuiltinResources.Pods));
        for (var i = 0; i < 10; i++)
        {
            await session.Client.CoreV1.DeleteNamespacedPodAsync($"pod-{i:D2}", "default", cancellationToken: TestContext.Current.CancellationToken);
        }

        for (var i = 10; i < 15; i++)
        {
            await session.Client.CoreV1.PatchNamespacedPodAsync(
                new V1Patch("""{"metadata":{"labels":{"changed":"yes"}}}""", V1Patch.PatchType.MergePatch), $"pod-{i:D2}", "default", cancellationToken: TestContext.Current.CancellationToken);
        }

        await session.CreatePodAsync("pod-new");
        session.Hooks.CompactWatchHistory();
        session.Hooks.CloseWatches(BuiltinResources.Pods);

        await Eventually.TrueAsync(() => _metrics.Relists.WithLabels("pods", "expired").Value == 1, "relist after 410", TimeSpan.FromSeconds(20));
        await WaitUntilStoreMatchesServerAsync();

        var deletes = _recorder.Events.Where(e => e.Kind == "delete").Select(e => e.Name).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"pod-{i:D2}"), deletes);
        Assert.Equal(5, _recorder.Events.Count(e => e.Kind == "update"));
        Assert.Single(_recorder.Events, e => e is ("add", "pod-new", _));
        Assert.Empty(_recorder.PhantomOrMissed);
        Assert.Equal(await session.ServerPodVersionsAsync(), _recorder.Model.ToDictionary(p => p.Key, p => p.Value!));

        // And the informer is live again afterwards.
        await session.CreatePodAsync("pod-after");
        await Eventually.TrueAsync(() => _recorder.Model.ContainsKey("pod-after"), "event after relist");
    }

    [Fact]
    public async Task An_expired_watch_mid_stream_relists_without_missing_or_inventing_events()
    {
        var session = await StartAsync();
        await StartInformerAsync(new InformerOptions());
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                await session.CreatePodAsync($"churn-{i:D2}");
                if (i % 3 == 0)
                {
                    await session.Client.CoreV1.DeleteNamespacedPodAsync($"churn-{i:D2}", "default", cancellationToken: TestContext.Current.CancellationToken);
                }

                if (i % 15 == 7)
                {
                    session.Hooks.CompactWatchHistory();
                    session.Hooks.ExpireWatches(BuiltinResources.Pods);
                }
            }
        }, TestContext.Current.CancellationToken);
        await writer;

        await WaitUntilStoreMatchesServerAsync();
        Assert.True(_metrics.Relists.WithLabels("pods", "expired").Value >= 1);
        Assert.Empty(_recorder.PhantomOrMissed);
    }

    [Fact]
    public async Task A_silently_stalled_watch_is_replaced_within_the_configured_limit()
    {
        var stallLimit = TimeSpan.FromSeconds(2);
        var session = await StartAsync(new SimulatorOptions { BookmarkInterval = TimeSpan.FromMilliseconds(300) });
        await StartInformerAsync(new InformerOptions { StallTimeout = stallLimit });
        await Eventually.TrueAsync(() => session.Hooks.OpenWatchCount(BuiltinResources.Pods) == 1);

        // Bookmarks keep a healthy idle watch alive well past the limit.
        var idleUntil = DateTime.UtcNow + (stallLimit * 2);
        while (DateTime.UtcNow < idleUntil)
        {
            Assert.Equal(0, _metrics.WatchRestarts.WithLabels("pods", "stalled").Value);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        var stalledAt = Stopwatch.StartNew();
        session.Hooks.StallWatches(BuiltinResources.Pods);
        await session.CreatePodAsync("during-stall");
        await Eventually.TrueAsync(() => _metrics.WatchRestarts.WithLabels("pods", "stalled").Value == 1, "watchdog", TimeSpan.FromSeconds(10));
        var detectedAfter = stalledAt.Elapsed;

        // Silence is counted from the last bookmark (up to 300 ms before the stall began); detection comes within the
        // limit plus one watchdog tick (limit/4). Then the replacement watch catches up.
        Assert.InRange(detectedAfter, stallLimit - TimeSpan.FromMilliseconds(400), stallLimit + (stallLimit / 4) + TimeSpan.FromMilliseconds(500));
        await Eventually.TrueAsync(() => _recorder.Model.ContainsKey("during-stall"), "missed event recovered by the new watch");
        await WaitUntilStoreMatchesServerAsync();
    }

    [Fact]
    public async Task Fifty_forced_reconnects_leave_memory_flat()
    {
        var session = await StartAsync();
        for (var i = 0; i < 200; i++)
        {
            await session.CreatePodAsync($"pod-{i:D3}");
        }

        await StartInformerAsync(new InformerOptions());
        var reconnectTimes = new List<long>();

        async Task ReconnectAsync(int n)
        {
            // Act only on an open watch: a hook fired between the informer's LIST and WATCH would hit nothing.
            await Eventually.TrueAsync(() => session.Hooks.OpenWatchCount(BuiltinResources.Pods) == 1, "watch open");
            var before = TotalRestarts();
            if (n % 5 == 0)
            {
                session.Hooks.CompactWatchHistory();
                session.Hooks.ExpireWatches(BuiltinResources.Pods);
            }
            else
            {
                session.Hooks.CloseWatches(BuiltinResources.Pods);
            }

            var timer = Stopwatch.StartNew();
            await Eventually.TrueAsync(
                () => TotalRestarts() > before && session.Hooks.OpenWatchCount(BuiltinResources.Pods) == 1,
                $"reconnect {n}: restarts {TotalRestarts()} (before {before}), open watches {session.Hooks.OpenWatchCount(BuiltinResources.Pods)}",
                TimeSpan.FromSeconds(20));
            reconnectTimes.Add(timer.ElapsedMilliseconds);
        }

        for (var n = 0; n < 10; n++)
        {
            await ReconnectAsync(n);
        }

        var baseline = SettledHeap();
        for (var n = 0; n < 50; n++)
        {
            await ReconnectAsync(n);
        }

        var after = SettledHeap();
        var growth = after - baseline;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"[memory] managed heap {baseline / 1024} KiB before, {after / 1024} KiB after 50 reconnects: growth {growth / 1024} KiB; reconnect took {reconnectTimes.Average():F0} ms on average, {reconnectTimes.Max()} ms at most");
        Assert.True(growth < 2 * 1024 * 1024, $"heap grew by {growth / 1024} KiB over 50 reconnects");
        Assert.Equal(200, _informer!.Store.Count);
    }

    private double TotalRestarts() =>
        new[] { "closed", "expired", "error", "stalled" }.Sum(reason => _metrics.WatchRestarts.WithLabels("pods", reason).Value);

    private static long SettledHeap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private async Task<SimulatorSession> StartAsync(SimulatorOptions? options = null)
    {
        _session = await SimulatorSession.StartAsync(options);
        return _session;
    }

    private async Task StartInformerAsync(InformerOptions options)
    {
        _informer = new Informer<V1Pod, PodSummary>(
            KubernetesSources.Pods(_session!.Client, "default"),
            PodSummary.Projection(new StringPool()),
            options with { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200) },
            _metrics,
            _log,
            TimeProvider.System);
        _informer.AddEventHandler(_recorder);
        _running = _informer.RunAsync(_stop.Token);
        await _informer.WaitForSyncAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
    }

    private Task WaitUntilStoreMatchesServerAsync() =>
        Eventually.TrueAsync(
            async () =>
            {
                var server = await _session!.ServerPodVersionsAsync();
                var store = _informer!.Store.List().ToDictionary(p => p.Name, p => p.ResourceVersion!);
                return server.Count == store.Count && server.All(p => store.TryGetValue(p.Key, out var rv) && rv == p.Value);
            },
            "the informer's store to match the server's pods",
            TimeSpan.FromSeconds(20));
}
