using IncidentResponder.Runtime.Informers;

namespace IncidentResponder.Runtime.Bench;

/// <summary>An informer's RunAsync loop on a task of its own, stopped (and awaited) on dispose; disposing twice is harmless.</summary>
internal sealed class RunningInformer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private int _disposed;

    public RunningInformer(IRunnableInformer informer) => _running = Task.Run(() => informer.RunAsync(_stop.Token));

    /// <summary>Faults if the informer loop died, instead of waiting forever for a sync that cannot come.</summary>
    public Task Completion => _running;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        _stop.Dispose();
    }
}
