namespace IncidentResponder.Runtime.Queue;

/// <summary>The limiter client-go gives every controller: max(per-item 5 ms → 1000 s, overall 10 qps / burst 100).</summary>
public static class DefaultControllerRateLimiter
{
    public static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(5);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1000);
    public const double OverallQps = 10;
    public const int OverallBurst = 100;

    public static IRateLimiter<T> Create<T>(TimeProvider timeProvider)
        where T : notnull =>
        new MaxOfRateLimiter<T>(
            new ItemExponentialFailureRateLimiter<T>(BaseDelay, MaxDelay),
            new BucketRateLimiter<T>(OverallQps, OverallBurst, timeProvider));
}
