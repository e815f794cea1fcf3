using IncidentResponder.Runtime.Informers;
using IncidentResponder.Runtime.Metrics;
using k8s.Models;

namespace IncidentResponder.Runtime.Bench;

/// <summary>Live heap before the informer, with it synced, and after it is stopped and dropped.</summary>
internal sealed record MemoryFigure(string Cache, int Objects, long HeapBefore, long HeapWithInformer, long HeapAfterRelease)
{
    /// <summary>What creating and syncing the informer added.</summary>
    public double GrowthPerPod => (double)(HeapWithInformer - HeapBefore) / Objects;

    /// <summary>What dropping the informer gave back: the same quantity measured the other way.</summary>
    public double ReleasedPerPod => (double)(HeapWithInformer - HeapAfterRelease) / Objects;

    /// <summary>The larger of the two: the figure the goal is judged on.</summary>
    public double BytesPerPod => Math.Max(GrowthPerPod, ReleasedPerPod);
}

internal sealed record MemoryResult(MemoryFigure Projected, MemoryFigure Full);

/// <summary>
/// What a synced pod informer costs on the managed heap. The simulator runs in the same process and its store already
/// holds every pod, so the figure is a difference of live heaps (full GC, settled): just before the informer is created,
/// once it has synced and its watch is open (informer, store, index and string pool reachable), and after it has been
/// stopped, its client disposed and its watch closed. Client, metrics registry and one open watch are inside the
/// difference; at 50,000 pods they come to a few bytes per pod.
/// </summary>
internal sealed class InformerMemoryBenchmark(BenchCluster cluster, BenchSettings settings)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public async Task<MemoryResult> RunAsync(CancellationToken cancellationToken)
    {
        var projected = await MeasureAsync("PodSummary projection", source => PodInformers.Projected(source, RuntimeMetrics.CreateIsolated()), cancellationToken).ConfigureAwait(false);
        var full = await MeasureAsync("full V1Pod (CachedResource)", source => PodInformers.Full(source, RuntimeMetrics.CreateIsolated()), cancellationToken).ConfigureAwait(false);
        return new MemoryResult(projected, full);
    }

    private async Task<MemoryFigure> MeasureAsync<TCached>(
        string cache,
        Func<IListWatchSource<V1Pod>, Informer<V1Pod, TCached>> create,
        CancellationToken cancellationToken)
        where TCached : class, ICachedObject
    {
        var watchesBefore = cluster.OpenPodWatches;
        var watchSet = cluster.PodWatches();
        var heapBefore = await HeapProbe.SettledLiveBytesAsync(cancellationToken).ConfigureAwait(false);
        var heapWith = await SyncAndMeasureAsync(cache, create, watchesBefore, cancellationToken).ConfigureAwait(false);
        await cluster.EndPodWatchesOpenedSinceAsync(watchSet, cancellationToken).ConfigureAwait(false);
        var heapAfter = await HeapProbe.SettledLiveBytesAsync(cancellationToken).ConfigureAwait(false);
        return new MemoryFigure(cache, settings.Pods, heapBefore, heapWith, heapAfter);
    }

    /// <summary>Runs the informer to sync and measures; everything it created is unreachable once this returns.</summary>
    private async Task<long> SyncAndMeasureAsync<TCached>(
        string cache,
        Func<IListWatchSource<V1Pod>, Informer<V1Pod, TCached>> create,
        int watchesBefore,
        CancellationToken cancellationToken)
        where TCached : class, ICachedObject
    {
        using var client = cluster.NewClient();
        var informer = create(PodInformers.AllPods(client));
        long heapWith;
        await using (var running = new RunningInformer(informer))
        {
            await informer.WaitForSyncAsync(cancellationToken).WaitAsync(Limit, cancellationToken).ConfigureAwait(false);
            await Poll.UntilAsync(() => cluster.OpenPodWatches > watchesBefore || running.Completion.IsCompleted, Limit, "the informer's watch", cancellationToken).ConfigureAwait(false);
            heapWith = await HeapProbe.SettledLiveBytesAsync(cancellationToken).ConfigureAwait(false);
            if (informer.Store.Count != settings.Pods)
            {
                throw new InvalidOperationException($"{cache}: store holds {informer.Store.Count} pods, expected {settings.Pods}.");
            }
        }

        GC.KeepAlive(informer);
        return heapWith;
    }
}
