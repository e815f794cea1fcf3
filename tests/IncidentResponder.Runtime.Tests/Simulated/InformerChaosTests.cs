using IncidentResponder.Runtime.Informers;
using IncidentResponder.Runtime.Metrics;
using IncidentResponder.Simulator;
using IncidentResponder.Simulator.Chaos;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace IncidentResponder.Runtime.Tests.Simulated;

/// <summary>
/// An informer against a simulator that drops every watch within a second and compacts its history every two: the
/// informer must re-watch after each drop and relist after each 410, and its cache must end equal to the store.
/// </summary>
public sealed class InformerChaosTests
{
    [Fact]
    public async Task An_informer_keeps_its_cache_equal_to_the_store_under_watch_drops_and_compaction()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await SimulatorSession.StartAsync(new SimulatorOptions
        {
            Chaos = new ChaosOptions { Seed = 7, WatchDropWithin = TimeSpan.FromSeconds(1), CompactionEvery = TimeSpan.FromSeconds(2) },
        });
        // The test's own writes and checks are spared; only the informer's requests meet the chaos.
        using var exempt = new Kubernetes(session.Cluster.ClientConfiguration(), new ExemptHandler());
        var informer = new Informer<V1ConfigMap, CachedResource<V1ConfigMap>>(
            ConfigMaps(session.Client),
            CachedResource<V1ConfigMap>.Project,
            new InformerOptions { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(500) },
            RuntimeMetrics.CreateIsolated(),
            NullLogger.Instance,
            TimeProvider.System);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(ct).WaitAsync(TimeSpan.FromSeconds(20), ct);

        // 20 s of churn: creates, updates and deletes, so every resumed watch has missed something.
        var until = DateTime.UtcNow.AddSeconds(20);
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(40));
        for (var i = 0; DateTime.UtcNow < until && await pace.WaitForNextTickAsync(ct); i++)
        {
            var name = $"cm-{i % 25}";
            var existing = (await exempt.CoreV1.ListNamespacedConfigMapAsync("default", fieldSelector: $"metadata.name={name}", cancellationToken: ct)).Items;
            if (existing.Count == 0)
            {
                await exempt.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name }, Data = new Dictionary<string, string> { ["i"] = $"{i}" } }, "default", cancellationToken: ct);
            }
            else if (i % 3 == 0)
            {
                await exempt.CoreV1.DeleteNamespacedConfigMapAsync(name, "default", cancellationToken: ct);
            }
            else
            {
                existing[0].Data = new Dictionary<string, string> { ["i"] = $"{i}" };
                await exempt.CoreV1.ReplaceNamespacedConfigMapAsync(existing[0], name, "default", cancellationToken: ct);
            }
        }

        var store = await Eventually.ValueAsync(async () =>
        {
            var truth = (await exempt.CoreV1.ListNamespacedConfigMapAsync("default", cancellationToken: ct)).Items
                .Select(c => (c.Metadata.Name, c.Metadata.ResourceVersion)).Order().ToList();
            var cached = informer.Store.List().Select(c => (c.Name, c.ResourceVersion ?? string.Empty)).Order().ToList();
            return truth.SequenceEqual(cached) ? truth : null;
        }, "the informer's cache equal to the store", TimeSpan.FromSeconds(15));

        Assert.NotEmpty(store);
        var audit = session.Hooks.AuditLog;
        var watches = audit.Count(a => a is { Verb: "watch", Resource: "configmaps" });
        var relists = audit.Count(a => a is { Verb: "list", Resource: "configmaps" } && a.UserAgent?.Contains("chaos-exempt", StringComparison.Ordinal) != true);
        Assert.True(watches >= 10, $"only {watches} watches: the drops did not happen");
        Assert.True(relists >= 2, $"only {relists} lists by the informer: no 410 made it relist");
        await stop.CancelAsync();
        await running;
    }

    private static IListWatchSource<V1ConfigMap> ConfigMaps(IKubernetes client) =>
        new DelegateListWatchSource<V1ConfigMap>(
            "configmaps",
            async (r, ct) =>
            {
                var list = await client.CoreV1.ListNamespacedConfigMapAsync("default", continueParameter: r.Continue, limit: r.Limit, cancellationToken: ct);
                return new ListPage<V1ConfigMap>([.. list.Items], list.Metadata.ResourceVersion, list.Metadata.ContinueProperty);
            },
            (r, onError, ct) => client.CoreV1.WatchListNamespacedConfigMapAsync("default", allowWatchBookmarks: true, resourceVersion: r.ResourceVersion,
                timeoutSeconds: r.TimeoutSeconds, onError: onError, cancellationToken: ct));

    /// <summary>Marks the test's own requests so chaos spares them (and so the audit log tells them apart).</summary>
    private sealed class ExemptHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add(ChaosOptions.ExemptHeader, "1");
            request.Headers.UserAgent.ParseAdd("chaos-exempt/1");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
