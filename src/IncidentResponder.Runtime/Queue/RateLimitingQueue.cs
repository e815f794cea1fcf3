namespace IncidentResponder.Runtime.Queue;

/// <summary>
/// A <see cref="WorkQueue{T}"/> that can also add items later (<see cref="AddAfter"/>, where the earliest requested time
/// wins for an item already waiting) and after a rate-limited delay (<see cref="AddRateLimited"/>).
/// Delays run on the injected <see cref="TimeProvider"/>: one timer for the earliest due item, so the cost does not grow
/// with the number of waiting items and a fake clock drives it deterministically.
/// </summary>
public sealed class RateLimitingQueue<T> : WorkQueue<T>
    where T : notnull
{
    private readonly IRateLimiter<T> _rateLimiter;
    private readonly IWorkQueueMetrics _metrics;
    private readonly Dictionary<T, DateTimeOffset> _waitingUntil = [];
    private readonly PriorityQueue<T, DateTimeOffset> _waitingByTime = new();
    private readonly ITimer _timer;
    private DateTimeOffset _timerDue = DateTimeOffset.MaxValue;

    public RateLimitingQueue(IRateLimiter<T> rateLimiter, TimeProvider timeProvider, IWorkQueueMetrics? metrics = null)
        : base(timeProvider, metrics)
    {
        _rateLimiter = rateLimiter;
        _metrics = metrics ?? NoWorkQueueMetrics.Instance;
        _timer = timeProvider.CreateTimer(_ => ReleaseDueItems(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Items waiting for their delay to pass.</summary>
    public int DelayedCount
    {
        get
        {
            lock (Gate)
            {
                return _waitingUntil.Count;
            }
        }
    }

    public void AddAfter(T item, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(item);
            return;
        }

        lock (Gate)
        {
            if (ShuttingDown)
            {
                return;
            }

            var due = TimeProvider.GetUtcNow() + delay;
            if (_waitingUntil.TryGetValue(item, out var existing) && existing <= due)
            {
                return;
            }

            // The old heap entry stays behind and is skipped when popped (its time no longer matches).
            _waitingUntil[item] = due;
            _waitingByTime.Enqueue(item, due);
            ArmTimer();
        }
    }

    public void AddRateLimited(T item)
    {
        _metrics.Retried();
        AddAfter(item, _rateLimiter.When(item));
    }

    /// <summary>Stops retry tracking: call when the item succeeded, or will be retried for a reason other than failure.</summary>
    public void Forget(T item) => _rateLimiter.Forget(item);

    public int NumRequeues(T item) => _rateLimiter.NumRequeues(item);

    protected override void OnShutDown()
    {
        _waitingUntil.Clear();
        _waitingByTime.Clear();
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _timer.Dispose();
        }
    }

    private void ReleaseDueItems()
    {
        List<T> due = [];
        lock (Gate)
        {
            _timerDue = DateTimeOffset.MaxValue;
            var now = TimeProvider.GetUtcNow();
            while (_waitingByTime.TryPeek(out var item, out var at) && at <= now)
            {
                _waitingByTime.Dequeue();
                if (_waitingUntil.TryGetValue(item, out var current) && current == at)
                {
                    _waitingUntil.Remove(item);
                    due.Add(item);
                }
            }

            ArmTimer();
        }

        foreach (var item in due)
        {
            Add(item);
        }
    }

    private void ArmTimer()
    {
        // Drop stale heap entries so the timer is armed for a real item.
        while (_waitingByTime.TryPeek(out var item, out var at)
               && (!_waitingUntil.TryGetValue(item, out var current) || current != at))
        {
            _waitingByTime.Dequeue();
        }

        if (!_waitingByTime.TryPeek(out _, out var next) || next >= _timerDue)
        {
            return;
        }

        _timerDue = next;
        var wait = next - TimeProvider.GetUtcNow();
        _timer.Change(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
