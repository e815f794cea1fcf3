using System.Diagnostics;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator;
using IncidentResponder.Simulator.Storage;
using k8s;

namespace IncidentResponder.Runtime.Bench;

/// <summary>
/// A simulated cluster with only its API server: no controllers and no kubelet, so nothing but the benchmark writes
/// to it and pods stay exactly as loaded. Pods are written through the store in process (create, then a status
/// update as the kubelet would make), not over HTTP: loading 50,000 pods over HTTP would take minutes, and the store
/// applies the same rules (defaulting, uid, resourceVersion, watch history) either way.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private BenchCluster(SimulatedCluster cluster) => Cluster = cluster;

    public SimulatedCluster Cluster { get; }

    public ClusterStore Store => Cluster.ClusterStore;

    public static async Task<BenchCluster> StartAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        // The throughput runs replay the updates from the watch history, so it must hold the load and both runs.
        var history = (2 * settings.Pods) + (2 * settings.Updates) + 10_000;
        var options = new SimulatorOptions { WatchHistorySize = history, MaxQueuedEventsPerWatcher = history };
        return new BenchCluster(await SimulatedCluster.StartAsync(options, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A KubernetesClient as an operator would build it from a kubeconfig.</summary>
    public Kubernetes NewClient() => new(Cluster.ClientConfiguration());

    public TimeSpan LoadPods(BenchSettings settings)
    {
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < Math.Min(settings.Namespaces, settings.Pods); n++)
        {
            Store.Create(BuiltinResources.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = RealisticPods.NamespaceName(n, settings.Namespaces) } });
        }

        for (var i = 0; i < settings.Pods; i++)
        {
            var created = Store.Create(BuiltinResources.Pods, RealisticPods.Pod(i, settings.Namespaces));
            created["status"] = RealisticPods.RunningStatus(i);
            Store.Update(BuiltinResources.Pods, created, status: true);
        }

        return clock.Elapsed;
    }

    /// <summary>Size of one stored pod as the API server serves it (JSON bytes).</summary>
    public int SamplePodJsonBytes(BenchSettings settings) =>
        Store.Get(BuiltinResources.Pods, RealisticPods.NamespaceName(0, settings.Namespaces), RealisticPods.PodName(0))!.ToJsonString().Length;

    /// <summary>Watches on pods the API server has registered: how the benchmark knows a WATCH is established.</summary>
    public int OpenPodWatches => Store.OpenWatchers(BuiltinResources.Pods).Count;

    public IReadOnlySet<StoreWatcher> PodWatches() => Store.OpenWatchers(BuiltinResources.Pods).ToHashSet();

    /// <summary>
    /// Ends, from the server side, every pod watch opened since <paramref name="before"/>, and waits until they are
    /// gone. Needed because KubernetesClient's watch enumerator only abandons its pending read when cancelled (the
    /// connection stays open until the server writes or ends the stream), so a stopped informer's watch would otherwise
    /// linger and keep receiving the next benchmark's events. kube-apiserver ends watches the same way at timeoutSeconds.
    /// </summary>
    public async Task EndPodWatchesOpenedSinceAsync(IReadOnlySet<StoreWatcher> before, CancellationToken cancellationToken)
    {
        foreach (var watcher in Store.OpenWatchers(BuiltinResources.Pods).Where(w => !before.Contains(w)))
        {
            watcher.Close();
        }

        await Poll.UntilAsync(() => Store.OpenWatchers(BuiltinResources.Pods).All(before.Contains), TimeSpan.FromMinutes(1), "the server to end the benchmark's watches", cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
