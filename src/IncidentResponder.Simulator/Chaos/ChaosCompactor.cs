using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Chaos;

/// <summary>
/// Compacts all watch history on a period, as etcd compaction does on a busy cluster, and ends the open watches with
/// 410 Expired: an up-to-date client would otherwise resume just past the compaction and never notice it, and any
/// watch that resumes from a version older than the last compaction gets 410 Gone, so clients have to list again.
/// </summary>
internal sealed class ChaosCompactor : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ChaosCompactor(ClusterStore store, ChaosInjector injector, TimeSpan every, TimeProvider time)
    {
        _loop = RunAsync(store, injector, every, time, _stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private static async Task RunAsync(ClusterStore store, ChaosInjector injector, TimeSpan every, TimeProvider time, CancellationToken token)
    {
        using var timer = new PeriodicTimer(every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                store.CompactHistory();
                injector.Compacted();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The cluster is stopping.
        }
    }
}
