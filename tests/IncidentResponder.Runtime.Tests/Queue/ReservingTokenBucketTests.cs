using System.Threading.RateLimiting;
using IncidentResponder.Runtime.Queue;
using Microsoft.Extensions.Time.Testing;

namespace IncidentResponder.Runtime.Tests.Queue;

public sealed class ReservingTokenBucketTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Attempt_acquire_refuses_with_retry_after_when_empty_and_succeeds_after_refill()
    {
        using var bucket = new ReservingTokenBucket(10, 1, _clock);
        using (var first = bucket.AttemptAcquire())
        {
            Assert.True(first.IsAcquired);
        }

        using (var refused = bucket.AttemptAcquire())
        {
            Assert.False(refused.IsAcquired);
            Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
            Assert.Equal(TimeSpan.FromMilliseconds(100), retryAfter);
        }

        _clock.Advance(TimeSpan.FromMilliseconds(100));
        using var later = bucket.AttemptAcquire();
        Assert.True(later.IsAcquired);
        Assert.Equal(1, bucket.GetStatistics()!.TotalFailedLeases);
    }

    [Fact]
    public async Task Acquire_async_waits_on_the_injected_clock()
    {
        using var bucket = new ReservingTokenBucket(1, 1, _clock);
        bucket.Reserve();

        var pending = bucket.AcquireAsync(1, TestContext.Current.CancellationToken).AsTask();
        Assert.False(pending.IsCompleted);

        _clock.Advance(TimeSpan.FromSeconds(1));
        using var lease = await pending;
        Assert.True(lease.IsAcquired);
    }

    [Fact]
    public void Idle_duration_is_measured_until_first_use()
    {
        using var bucket = new ReservingTokenBucket(1, 1, _clock);
        _clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(3), bucket.IdleDuration);

        bucket.Reserve();
        Assert.Null(bucket.IdleDuration);
    }
}
