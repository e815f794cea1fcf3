namespace IncidentResponder.Runtime.Queue;

/// <summary>
/// Overall token bucket shared by all items (client-go's BucketRateLimiter): a burst goes through at once, then items
/// are spaced at the bucket's rate. Stops a mass failure from turning into a retry storm against the API server.
/// </summary>
public sealed class BucketRateLimiter<T> : IRateLimiter<T>, IDisposable
    where T : notnull
{
    private readonly ReservingTokenBucket _bucket;

    public BucketRateLimiter(double tokensPerSecond, int burst, TimeProvider timeProvider) =>
        _bucket = new ReservingTokenBucket(tokensPerSecond, burst, timeProvider);

    public TimeSpan When(T item) => _bucket.Reserve();

    /// <summary>The bucket is shared, so there is nothing per item to forget.</summary>
    public void Forget(T item)
    {
    }

    public int NumRequeues(T item) => 0;

    public void Dispose() => _bucket.Dispose();
}
