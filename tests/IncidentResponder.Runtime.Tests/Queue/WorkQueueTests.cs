using IncidentResponder.Runtime.Queue;
using Microsoft.Extensions.Time.Testing;

namespace IncidentResponder.Runtime.Tests.Queue;

public sealed class WorkQueueTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task Re_adds_of_a_waiting_item_collapse_to_one()
    {
        using var queue = new WorkQueue<string>(_clock);
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");

        Assert.Equal(2, queue.Count);
        Assert.Equal("a", (await queue.GetAsync(TestContext.Current.CancellationToken)).Item);
        Assert.Equal("b", (await queue.GetAsync(TestContext.Current.CancellationToken)).Item);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task An_item_being_processed_is_not_handed_out_again_until_done()
    {
        using var queue = new WorkQueue<string>(_clock);
        queue.Add("a");
        var first = await queue.GetAsync(TestContext.Current.CancellationToken);

        queue.Add("a");
        queue.Add("a");

        Assert.Equal(0, queue.Count);
        var second = queue.GetAsync(TestContext.Current.CancellationToken);
        Assert.False(second.IsCompleted);

        queue.Done(first.Item);

        // Dirty while processing: exactly one more round after Done.
        Assert.Equal("a", (await second).Item);
        queue.Done("a");
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Done_without_a_re_add_does_not_requeue()
    {
        using var queue = new WorkQueue<string>(_clock);
        queue.Add("a");
        var item = await queue.GetAsync(TestContext.Current.CancellationToken);
        queue.Done(item.Item);

        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Concurrent_workers_never_hold_the_same_key_at_once()
    {
        using var queue = new WorkQueue<int>(_clock);
        var active = new int[5];
        var violations = 0;
        var processed = 0;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var next = await queue.GetAsync(cts.Token);
                if (next.ShutDown)
                {
                    return;
                }

                if (Interlocked.Increment(ref active[next.Item]) > 1)
                {
                    Interlocked.Increment(ref violations);
                }

                await Task.Yield();
                Interlocked.Decrement(ref active[next.Item]);
                Interlocked.Increment(ref processed);
                queue.Done(next.Item);
            }
        })).ToArray();

        for (var i = 0; i < 20_000; i++)
        {
            queue.Add(i % 5);
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((queue.Count > 0 || queue.ProcessingDurations().Count > 0) && DateTime.UtcNow < deadline)
        {
            await Task.Yield();
        }

        queue.ShutDown();
        await Task.WhenAll(workers);
        Assert.Equal(0, violations);
        Assert.True(processed >= 5, $"processed {processed}");
    }

    [Fact]
    public async Task Shut_down_drains_queued_items_then_reports_closed_and_ignores_new_adds()
    {
        using var queue = new WorkQueue<string>(_clock);
        queue.Add("a");
        queue.ShutDown();
        queue.Add("b");

        Assert.Equal(new Dequeued<string>("a", false), await queue.GetAsync(TestContext.Current.CancellationToken));
        Assert.True((await queue.GetAsync(TestContext.Current.CancellationToken)).ShutDown);
    }

    [Fact]
    public async Task Shut_down_wakes_a_waiting_worker()
    {
        using var queue = new WorkQueue<string>(_clock);
        var waiting = queue.GetAsync(TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);

        queue.ShutDown();

        Assert.True((await waiting).ShutDown);
    }

    [Fact]
    public async Task Caller_cancellation_throws_rather_than_reporting_shutdown()
    {
        using var queue = new WorkQueue<string>(_clock);
        using var cts = new CancellationTokenSource();
        var waiting = queue.GetAsync(cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public async Task Processing_durations_grow_with_time_until_done()
    {
        using var queue = new WorkQueue<string>(_clock);
        queue.Add("a");
        await queue.GetAsync(TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal([TimeSpan.FromSeconds(3)], queue.ProcessingDurations());
        queue.Done("a");
        Assert.Empty(queue.ProcessingDurations());
    }
}
