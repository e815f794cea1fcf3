using System.Threading.Channels;

namespace IncidentResponder.Simulator.Storage;

/// <summary>
/// An in-process observer of committed changes. Changes are queued under the store lock (so in resourceVersion order)
/// and handed to the callback on its own task, so a callback may write to the store without deadlocking.
/// </summary>
internal sealed class StoreSubscription : IDisposable
{
    private readonly Channel<WatchEvent> _queue = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<StoreSubscription> _onDispose;
    private readonly Task _pump;

    public StoreSubscription(Action<StoreEvent> onEvent, Action<StoreSubscription> onDispose)
    {
        _onDispose = onDispose;
        _pump = Task.Run(async () =>
        {
            await foreach (var change in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                var type = change.Type switch
                {
                    WatchEventType.Added => StoreEventType.Added,
                    WatchEventType.Deleted => StoreEventType.Deleted,
                    _ => StoreEventType.Modified,
                };
                try
                {
                    onEvent(new StoreEvent(type, change.Object.Type, change.Object.ToJsonObject()));
                }
#pragma warning disable CA1031 // One failing observer must not stop the delivery of later changes.
                catch (Exception error)
#pragma warning restore CA1031
                {
                    Console.Error.WriteLine($"simulator: store subscriber failed: {error}");
                }
            }
        });
    }

    public void Enqueue(WatchEvent change) => _queue.Writer.TryWrite(change);

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _onDispose(this);
    }
}
