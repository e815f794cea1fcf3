namespace IncidentResponder.Runtime.Queue;

/// <summary>
/// A work queue with client-go semantics:
/// an item is never handed to two workers at once (<c>processing</c>); adding an item that is already waiting does
/// nothing (<c>dirty</c>); adding an item while it is being processed makes it come back exactly once after <see cref="Done"/>.
/// After <see cref="ShutDown"/> new adds are ignored, workers drain what is queued and then get <see cref="Dequeued{T}.Closed"/>.
/// </summary>
public class WorkQueue<T> : IDisposable
    where T : notnull
{
    private readonly Queue<T> _queue = new();
    private readonly HashSet<T> _dirty = [];
    private readonly Dictionary<T, long> _processingSince = [];
    private readonly Dictionary<T, long> _queuedSince = [];
    private readonly SemaphoreSlim _available = new(0);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly IWorkQueueMetrics _metrics;

    public WorkQueue(TimeProvider timeProvider, IWorkQueueMetrics? metrics = null)
    {
        TimeProvider = timeProvider;
        _metrics = metrics ?? NoWorkQueueMetrics.Instance;
    }

    protected TimeProvider TimeProvider { get; }

    protected Lock Gate { get; } = new();

    public bool ShuttingDown => _shutdown.IsCancellationRequested;

    /// <summary>Items waiting to be handed out (not counting items being processed or delayed).</summary>
    public int Count
    {
        get
        {
            lock (Gate)
            {
                return _queue.Count;
            }
        }
    }

    public void Add(T item)
    {
        lock (Gate)
        {
            if (ShuttingDown || !_dirty.Add(item))
            {
                return;
            }

            _metrics.Added();
            if (_processingSince.ContainsKey(item))
            {
                // Comes back when the worker calls Done, never concurrently.
                return;
            }

            Enqueue(item);
        }
    }

    /// <summary>Waits for an item. Returns <see cref="Dequeued{T}.Closed"/> once shut down and drained.</summary>
    public async Task<Dequeued<T>> GetAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        while (true)
        {
            try
            {
                await _available.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Shut down: fall through and drain whatever is still queued.
            }

            lock (Gate)
            {
                if (_queue.TryDequeue(out var item))
                {
                    var now = TimeProvider.GetTimestamp();
                    _dirty.Remove(item);
                    _processingSince[item] = now;
                    if (_queuedSince.Remove(item, out var since))
                    {
                        _metrics.WaitedInQueue(TimeProvider.GetElapsedTime(since, now));
                    }

                    _metrics.DepthChanged(_queue.Count);
                    return new Dequeued<T>(item, false);
                }

                if (ShuttingDown)
                {
                    return Dequeued<T>.Closed;
                }
            }
        }
    }

    /// <summary>Marks the item finished; if it was added again meanwhile it goes back in the queue now.</summary>
    public void Done(T item)
    {
        lock (Gate)
        {
            if (_processingSince.Remove(item, out var since))
            {
                _metrics.Worked(TimeProvider.GetElapsedTime(since));
            }

            if (_dirty.Contains(item))
            {
                Enqueue(item);
            }
        }
    }

    public void ShutDown()
    {
        lock (Gate)
        {
            if (!ShuttingDown)
            {
                _shutdown.Cancel();
                OnShutDown();
            }
        }
    }

    /// <summary>How long each item now being processed has been at it (for the unfinished-work metrics).</summary>
    public IReadOnlyList<TimeSpan> ProcessingDurations()
    {
        lock (Gate)
        {
            var now = TimeProvider.GetTimestamp();
            return [.. _processingSince.Values.Select(since => TimeProvider.GetElapsedTime(since, now))];
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void OnShutDown()
    {
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            ShutDown();
            _shutdown.Dispose();
            _available.Dispose();
        }
    }

    private void Enqueue(T item)
    {
        _queue.Enqueue(item);
        _queuedSince.TryAdd(item, TimeProvider.GetTimestamp());
        _metrics.DepthChanged(_queue.Count);
        _available.Release();
    }
}
