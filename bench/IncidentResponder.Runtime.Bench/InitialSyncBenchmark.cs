using System.Diagnostics;
using IncidentResponder.Runtime.Metrics;

namespace IncidentResponder.Runtime.Bench;

/// <summary>One initial sync: LIST in pages of 500 applied to the store (HasSynced), then the WATCH open on the server.</summary>
internal sealed record SyncRun(TimeSpan Synced, TimeSpan WatchEstablished);

internal sealed record SyncResult(IReadOnlyList<SyncRun> Runs)
{
    public TimeSpan SyncedP50 => Percentiles.Of([.. Runs.Select(r => r.Synced)], 50);

    public TimeSpan WatchP50 => Percentiles.Of([.. Runs.Select(r => r.WatchEstablished)], 50);
}

/// <summary>
/// Time from starting a fresh projected pod informer (with a fresh client, so no connection is reused) until its store
/// holds every pod (<c>HasSynced</c>) and until the API server has registered its WATCH from the list's resourceVersion.
/// </summary>
internal sealed class InitialSyncBenchmark(BenchCluster cluster, BenchSettings settings)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public async Task<SyncResult> RunAsync(TextWriter progress, CancellationToken cancellationToken)
    {
        var runs = new List<SyncRun>();
        for (var run = 0; run < settings.SyncRuns; run++)
        {
            using var client = cluster.NewClient();
            var informer = PodInformers.Projected(PodInformers.AllPods(client), RuntimeMetrics.CreateIsolated());
            var watchesBefore = cluster.OpenPodWatches;
            var watchSet = cluster.PodWatches();
            var clock = Stopwatch.StartNew();
            await using (var running = new RunningInformer(informer))
            {
                await informer.WaitForSyncAsync(cancellationToken).WaitAsync(Limit, cancellationToken).ConfigureAwait(false);
                var synced = clock.Elapsed;
                await Poll.UntilAsync(() => cluster.OpenPodWatches > watchesBefore || running.Completion.IsCompleted, Limit, "the informer's watch", cancellationToken).ConfigureAwait(false);
                var watching = clock.Elapsed;
                if (informer.Store.Count != settings.Pods)
                {
                    throw new InvalidOperationException($"Synced store holds {informer.Store.Count} pods, expected {settings.Pods}.");
                }

                runs.Add(new SyncRun(synced, watching));
                await progress.WriteLineAsync($"  sync run {run + 1}: synced {synced.TotalMilliseconds:F0} ms, watch open {watching.TotalMilliseconds:F0} ms").ConfigureAwait(false);
            }

            await cluster.EndPodWatchesOpenedSinceAsync(watchSet, cancellationToken).ConfigureAwait(false);
        }

        return new SyncResult(runs);
    }
}
