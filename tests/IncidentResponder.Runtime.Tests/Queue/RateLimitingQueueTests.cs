using IncidentResponder.Runtime.Queue;
using Microsoft.Extensions.Time.Testing;

namespace IncidentResponder.Runtime.Tests.Queue;

public sealed class RateLimitingQueueTests
{
    private readonly FakeTimeProvider _clock = new();

    private RateLimitingQueue<string> NewQueue() => new(DefaultControllerRateLimiter.Create<string>(_clock), _clock);

    [Fact]
    public void Add_after_releases_the_item_only_when_its_time_has_come()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(5));

        _clock.Advance(TimeSpan.FromSeconds(4.999));
        Assert.Equal(0, queue.Count);
        Assert.Equal(1, queue.DelayedCount);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, queue.Count);
        Assert.Equal(0, queue.DelayedCount);
    }

    [Fact]
    public void Earliest_add_after_wins()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(2));
        queue.AddAfter("a", TimeSpan.FromSeconds(7));

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, queue.Count);
        Assert.Equal(0, queue.DelayedCount);
    }

    [Fact]
    public async Task Delayed_items_come_out_in_due_order()
    {
        using var queue = NewQueue();
        queue.AddAfter("late", TimeSpan.FromSeconds(3));
        queue.AddAfter("early", TimeSpan.FromSeconds(1));
        queue.AddAfter("middle", TimeSpan.FromSeconds(2));

        _clock.Advance(TimeSpan.FromSeconds(3));

        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            order.Add((await queue.GetAsync(TestContext.Current.CancellationToken)).Item);
        }

        Assert.Equal(["early", "middle", "late"], order);
    }

    [Fact]
    public void Zero_delay_adds_immediately()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.Zero);

        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void Rate_limited_adds_back_off_exponentially_until_forgotten()
    {
        using var queue = NewQueue();

        queue.AddRateLimited("a");
        _clock.Advance(TimeSpan.FromMilliseconds(4));
        Assert.Equal(0, queue.Count);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, queue.Count);

        queue.AddRateLimited("b");
        queue.AddRateLimited("b");
        Assert.Equal(2, queue.NumRequeues("b"));

        queue.Forget("b");
        Assert.Equal(0, queue.NumRequeues("b"));
    }

    [Fact]
    public void Shut_down_discards_delayed_items_and_refuses_new_ones()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(1));
        queue.ShutDown();
        queue.AddAfter("b", TimeSpan.FromSeconds(1));

        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.DelayedCount);
    }
}
