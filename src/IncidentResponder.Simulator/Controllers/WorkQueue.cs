namespace IncidentResponder.Simulator.Controllers;

/// <summary>What a controller sync is about.</summary>
public enum WorkKind
{
    Deployment,
    ReplicaSet,
    Pod,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
}

public sealed record WorkKey(WorkKind Kind, string Namespace, string Name);

/// <summary>
/// A de-duplicating work queue with delayed adds, like client-go's rate-limited workqueue: a key queued twice is
/// synced once, and delayed keys are released by a timer of the injected <see cref="TimeProvider"/>, so a fake clock
/// drives back-offs and progress deadlines in tests.
/// </summary>
public sealed class WorkQueue : IDisposable
{
    private readonly Lock _gate = new();
    private readonly LinkedList<WorkKey> _ready = new();
    private readonly HashSet<WorkKey> _queued = [];
    private readonly PriorityQueue<WorkKey, DateTimeOffset> _delayed = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private DateTimeOffset? _timerDue;

    public WorkQueue(TimeProvider time)
    {
        _time = time;
        _timer = time.CreateTimer(_ => ReleaseDue(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _ready.Count;
            }
        }
    }

    public void Add(WorkKey key)
    {
        lock (_gate)
        {
            if (!_queued.Add(key))
            {
                return;
            }

            _ready.AddLast(key);
        }

        _signal.Release();
    }

    public void AddAfter(WorkKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        var due = _time.GetUtcNow() + delay;
        lock (_gate)
        {
            _delayed.Enqueue(key, due);
            if (_timerDue is null || due < _timerDue)
            {
                _timerDue = due;
                _timer.Change(delay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Waits for a key; the key leaves the queue, so adding it again while it is synced queues another sync.</summary>
    public async Task<WorkKey> TakeAsync(CancellationToken cancellation)
    {
        while (true)
        {
            await _signal.WaitAsync(cancellation).ConfigureAwait(false);
            lock (_gate)
            {
                if (_ready.First is { } first)
                {
                    _ready.RemoveFirst();
                    _queued.Remove(first.Value);
                    return first.Value;
                }
            }
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _signal.Dispose();
    }

    private void ReleaseDue()
    {
        var now = _time.GetUtcNow();
        var due = new List<WorkKey>();
        lock (_gate)
        {
            while (_delayed.TryPeek(out var key, out var at) && at <= now)
            {
                _delayed.Dequeue();
                due.Add(key);
            }

            _timerDue = _delayed.TryPeek(out _, out var next) ? next : null;
            if (_timerDue is { } nextDue)
            {
                var wait = nextDue - now;
                _timer.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
            }
        }

        foreach (var key in due)
        {
            Add(key);
        }
    }
}
