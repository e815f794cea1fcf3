using System.Threading.RateLimiting;

namespace IncidentResponder.Runtime.Queue;

/// <summary>
/// A token bucket <see cref="RateLimiter"/> on an injected <see cref="TimeProvider"/>, with Go-style reservations.
/// Why not <see cref="TokenBucketRateLimiter"/>: it reads <c>Stopwatch</c> even with manual replenishment, so a fake
/// clock cannot drive it, and it cannot lend tokens: a work queue needs "how long until my token", never "no".
/// <see cref="Reserve"/> always succeeds and lets the bucket go into debt (tokens below zero); the answer is the time
/// until the debt is paid, exactly like <c>rate.Limiter.Reserve().Delay()</c> that client-go's bucket limiter uses.
/// </summary>
public sealed class ReservingTokenBucket : RateLimiter
{
    private readonly TimeProvider _timeProvider;
    private readonly double _tokensPerSecond;
    private readonly int _burst;
    private readonly Lock _gate = new();
    private double _tokens;
    private long _updatedAt;
    private long? _idleSince;
    private long _successfulLeases;
    private long _failedLeases;

    public ReservingTokenBucket(double tokensPerSecond, int burst, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(tokensPerSecond, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        _tokensPerSecond = tokensPerSecond;
        _burst = burst;
        _timeProvider = timeProvider;
        _tokens = burst;
        _updatedAt = timeProvider.GetTimestamp();
        _idleSince = _updatedAt;
    }

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                return _idleSince is { } since ? _timeProvider.GetElapsedTime(since) : null;
            }
        }
    }

    /// <summary>Takes one token now, borrowing if needed, and returns how long the caller must wait before acting.</summary>
    public TimeSpan Reserve()
    {
        lock (_gate)
        {
            Refill();
            _tokens -= 1;
            _successfulLeases++;
            _idleSince = null;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _tokensPerSecond);
        }
    }

    public override RateLimiterStatistics GetStatistics()
    {
        lock (_gate)
        {
            Refill();
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = (long)Math.Floor(_tokens),
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _successfulLeases,
                TotalFailedLeases = _failedLeases,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _burst);
        lock (_gate)
        {
            Refill();
            if (_tokens >= permitCount)
            {
                _tokens -= permitCount;
                _successfulLeases++;
                _idleSince = null;
                return BucketLease.Acquired;
            }

            _failedLeases++;
            return BucketLease.Refused(TimeSpan.FromSeconds((permitCount - _tokens) / _tokensPerSecond));
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _burst);
        var wait = TimeSpan.Zero;
        for (var i = 0; i < permitCount; i++)
        {
            wait = Reserve();
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        return BucketLease.Acquired;
    }

    private void Refill()
    {
        var now = _timeProvider.GetTimestamp();
        var elapsed = _timeProvider.GetElapsedTime(_updatedAt, now);
        _updatedAt = now;
        _tokens = Math.Min(_burst, _tokens + (elapsed.TotalSeconds * _tokensPerSecond));
    }

    private sealed class BucketLease(bool isAcquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly BucketLease Acquired = new(true, null);

        public override bool IsAcquired => isAcquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public static BucketLease Refused(TimeSpan retryAfter) => new(false, retryAfter);

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } value && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = value;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
