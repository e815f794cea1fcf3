namespace IncidentResponder.Simulator.GitOps;

/// <summary>An object a GitOps controller reconciles.</summary>
public sealed record GitOpsKey(string Kind, string Namespace, string Name);

/// <summary>
/// A de-duplicating work queue with one due time per key, released by a timer of the injected
/// <see cref="TimeProvider"/>: a key waiting for its next poll and also asked for now is synced once, now, and a later
/// poll request never pushes an earlier one back (controller-runtime's <c>RequeueAfter</c> behaves the same way).
/// </summary>
public sealed class GitOpsQueue : IDisposable
{
    private readonly Lock _gate = new();
    private readonly LinkedList<GitOpsKey> _ready = new();
    private readonly HashSet<GitOpsKey> _queued = [];
    private readonly Dictionary<GitOpsKey, DateTimeOffset> _delayed = [];
    private readonly SemaphoreSlim _signal = new(0);
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private bool _disposed;

    public GitOpsQueue(TimeProvider time)
    {
        _time = time;
        _timer = time.CreateTimer(_ => ReleaseDue(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Add(GitOpsKey key)
    {
        lock (_gate)
        {
            // The store hands over changes on its own task, so one may still arrive after the controller stopped.
            if (_disposed)
            {
                return;
            }

            _delayed.Remove(key);
            if (!_queued.Add(key))
            {
                return;
            }

            _ready.AddLast(key);
        }

        _signal.Release();
    }

    public void AddAfter(GitOpsKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        var due = _time.GetUtcNow() + delay;
        lock (_gate)
        {
            if (_disposed || _queued.Contains(key) || (_delayed.TryGetValue(key, out var existing) && existing <= due))
            {
                return;
            }

            _delayed[key] = due;
            ArmTimer();
        }
    }

    /// <summary>Forgets a key (its object was deleted).</summary>
    public void Forget(GitOpsKey key)
    {
        lock (_gate)
        {
            _delayed.Remove(key);
        }
    }

    public async Task<GitOpsKey> TakeAsync(CancellationToken cancellation)
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
        lock (_gate)
        {
            _disposed = true;
        }

        _timer.Dispose();
        _signal.Dispose();
    }

    private void ArmTimer()
    {
        if (_delayed.Count == 0)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var wait = _delayed.Values.Min() - _time.GetUtcNow();
        _timer.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
    }

    private void ReleaseDue()
    {
        var now = _time.GetUtcNow();
        List<GitOpsKey> due;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            due = [.. _delayed.Where(kv => kv.Value <= now).Select(kv => kv.Key)];
            foreach (var key in due)
            {
                _delayed.Remove(key);
            }

            ArmTimer();
        }

        foreach (var key in due)
        {
            Add(key);
        }
    }
}
