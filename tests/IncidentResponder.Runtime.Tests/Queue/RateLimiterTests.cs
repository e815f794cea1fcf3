using IncidentResponder.Runtime.Queue;
using Microsoft.Extensions.Time.Testing;

namespace IncidentResponder.Runtime.Tests.Queue;

public sealed class RateLimiterTests
{
    [Fact]
    public void Per_item_backoff_doubles_from_5ms_and_caps_at_1000s()
    {
        var limiter = new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));

        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(20), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("b"));
        Assert.Equal(3, limiter.NumRequeues("a"));

        for (var i = 0; i < 100; i++)
        {
            limiter.When("a");
        }

        Assert.Equal(TimeSpan.FromSeconds(1000), limiter.When("a"));
    }

    [Fact]
    public void Forget_resets_the_item_to_the_base_delay()
    {
        var limiter = new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        limiter.When("a");
        limiter.When("a");

        limiter.Forget("a");

        Assert.Equal(0, limiter.NumRequeues("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));
    }

    [Fact]
    public void Bucket_allows_a_burst_then_spaces_callers_one_period_apart()
    {
        var clock = new FakeTimeProvider();
        using var bucket = new BucketRateLimiter<string>(10, 100, clock);

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TimeSpan.Zero, bucket.When($"item{i}"));
        }

        // Debt: the 101st caller waits for the next token, the 102nd for the one after.
        Assert.Equal(TimeSpan.FromMilliseconds(100), bucket.When("x"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), bucket.When("y"));
    }

    [Fact]
    public void Bucket_refills_with_time_and_pays_debt_before_refilling()
    {
        var clock = new FakeTimeProvider();
        using var bucket = new BucketRateLimiter<string>(10, 2, clock);
        bucket.When("a");
        bucket.When("b");
        Assert.Equal(TimeSpan.FromMilliseconds(100), bucket.When("c"));

        clock.Advance(TimeSpan.FromMilliseconds(100));

        // The token that arrived went to "c", so the next caller still waits a full period.
        Assert.Equal(TimeSpan.FromMilliseconds(100), bucket.When("d"));

        clock.Advance(TimeSpan.FromSeconds(10));

        // Long idle refills only up to the burst.
        Assert.Equal(TimeSpan.Zero, bucket.When("e"));
        Assert.Equal(TimeSpan.Zero, bucket.When("f"));
        Assert.Equal(TimeSpan.FromMilliseconds(100), bucket.When("g"));
    }

    [Fact]
    public void Default_limiter_takes_the_larger_of_item_backoff_and_bucket()
    {
        var clock = new FakeTimeProvider();
        var limiter = DefaultControllerRateLimiter.Create<string>(clock);

        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));
        for (var i = 0; i < 98; i++)
        {
            limiter.When($"other{i}");
        }

        // Bucket (100 tokens) is now spent: the bucket delay dominates the 10 ms per-item delay.
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.When("b"));
        Assert.Equal(2, limiter.NumRequeues("a"));
        limiter.Forget("a");
        Assert.Equal(0, limiter.NumRequeues("a"));
    }
}
