using System.Threading.Channels;
using IncidentResponder.Simulator.Selectors;

namespace IncidentResponder.Simulator.Storage;

/// <summary>A delivered watch event: the stored change and the type it has for this watcher (selectors can turn MODIFIED into ADDED/DELETED).</summary>
public readonly record struct WatchDelivery(WatchEventType Type, WatchEvent Event);

/// <summary>
/// One open watch on the store. Events are queued by the writer (under the store lock, so in resourceVersion order)
/// and read by the HTTP response loop. Filtering happens here with precomputed labels/fields: no JSON is parsed.
/// </summary>
public sealed class StoreWatcher : IDisposable
{
    private readonly Channel<WatchDelivery> _channel = Channel.CreateUnbounded<WatchDelivery>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _closed = new();
    private readonly Action<StoreWatcher> _onDispose;
    private readonly int _maxQueued;
    private int _queued;

    internal StoreWatcher(ResourceType type, string? @namespace, LabelSelector labels, FieldSelector fields, int maxQueued, Action<StoreWatcher> onDispose)
    {
        Type = type;
        Namespace = @namespace;
        LabelSelector = labels;
        FieldSelector = fields;
        _maxQueued = maxQueued;
        _onDispose = onDispose;
    }

    public ResourceType Type { get; }

    public string? Namespace { get; }

    public LabelSelector LabelSelector { get; }

    public FieldSelector FieldSelector { get; }

    /// <summary>Events synthesized or replayed when the watch started, to be sent before anything from <see cref="Reader"/>.</summary>
    public IReadOnlyList<WatchDelivery> InitialEvents { get; internal set; } = [];

    /// <summary>The resourceVersion the initial events bring the watcher up to (for the initial-events-end bookmark).</summary>
    public long StartResourceVersion { get; internal set; }

    public ChannelReader<WatchDelivery> Reader => _channel.Reader;

    /// <summary>Cancelled when the server ends this watch (test hook, slow consumer, shutdown).</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>A stalled watch stays open but receives nothing (test hook for "silently stuck" watches).</summary>
    public bool Stalled { get; internal set; }

    /// <summary>An error the server sends as a watch ERROR event before closing (test hook: injected 410).</summary>
    public StoreException? PendingError { get; private set; }

    public int Queued => Volatile.Read(ref _queued);

    public void MarkDequeued() => Interlocked.Decrement(ref _queued);

    internal bool Matches(StoredObject obj) =>
        (Namespace is null || obj.Namespace == Namespace) && LabelSelector.Matches(obj.Labels) && FieldSelector.Matches(obj.Fields);

    /// <summary>Called under the store lock for every change of this watcher's type.</summary>
    internal void Offer(WatchEvent change)
    {
        if (Stalled || _closed.IsCancellationRequested)
        {
            return;
        }

        var matchesNow = Matches(change.Object);
        var matchedBefore = change.Previous is not null && Matches(change.Previous);
        WatchEventType? deliverAs = change.Type switch
        {
            WatchEventType.Added => matchesNow ? WatchEventType.Added : null,
            WatchEventType.Deleted => matchedBefore || matchesNow ? WatchEventType.Deleted : null,
            _ => (matchedBefore, matchesNow) switch
            {
                (true, true) => WatchEventType.Modified,
                (false, true) => WatchEventType.Added,
                (true, false) => WatchEventType.Deleted,
                _ => null,
            },
        };
        if (deliverAs is not { } type)
        {
            return;
        }

        // A consumer this far behind is dropped, as kube-apiserver's cacher drops watchers that cannot keep up;
        // the client re-watches from its last resourceVersion.
        if (Interlocked.Increment(ref _queued) > _maxQueued)
        {
            Close();
            return;
        }

        _channel.Writer.TryWrite(new WatchDelivery(type, change));
    }

    /// <summary>Ends the watch with an ERROR event carrying <paramref name="error"/>.</summary>
    public void Fail(StoreException error)
    {
        PendingError = error;
        Close();
    }

    public void Close()
    {
        _channel.Writer.TryComplete();
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already disposed by the reader: nothing left to close.
        }
    }

    public void Dispose()
    {
        Close();
        _onDispose(this);
        _closed.Dispose();
    }
}
