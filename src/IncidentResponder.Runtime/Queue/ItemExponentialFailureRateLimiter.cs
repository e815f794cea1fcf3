namespace IncidentResponder.Runtime.Queue;

/// <summary>
/// Per-item exponential backoff: <c>baseDelay · 2^failures</c>, capped at <c>maxDelay</c> (client-go's default is 5 ms → 1000 s).
/// Failures are counted per item so one broken object cannot slow down the retries of the others.
/// </summary>
public sealed class ItemExponentialFailureRateLimiter<T> : IRateLimiter<T>
    where T : notnull
{
    private readonly Dictionary<T, int> _failures = [];
    private readonly Lock _gate = new();
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;

    public ItemExponentialFailureRateLimiter(TimeSpan baseDelay, TimeSpan maxDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
    }

    public TimeSpan When(T item)
    {
        int exponent;
        lock (_gate)
        {
            _failures.TryGetValue(item, out exponent);
            _failures[item] = exponent + 1;
        }

        // Computed in double so a long-failing item cannot overflow; anything past the cap is the cap.
        var delayTicks = _baseDelay.Ticks * Math.Pow(2, exponent);
        return delayTicks >= _maxDelay.Ticks ? _maxDelay : TimeSpan.FromTicks((long)delayTicks);
    }

    public void Forget(T item)
    {
        lock (_gate)
        {
            _failures.Remove(item);
        }
    }

    public int NumRequeues(T item)
    {
        lock (_gate)
        {
            return _failures.TryGetValue(item, out var count) ? count : 0;
        }
    }
}
