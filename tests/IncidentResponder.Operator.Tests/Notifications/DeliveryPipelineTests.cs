using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IncidentResponder.Operator.Notifications;

namespace IncidentResponder.Operator.Tests.Notifications;

/// <summary>Retries, refusals and timeouts of one delivery, against a real HTTP receiver on loopback.</summary>
public sealed class DeliveryPipelineTests
{
    private static readonly NotificationOptions Fast = new()
    {
        FirstRetryDelay = TimeSpan.FromMilliseconds(10),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        RetryAfterCap = TimeSpan.FromSeconds(5),
    };

    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    private static Task<DeliveryOutcome> SendAsync(string url, NotificationOptions? options = null) =>
        new DeliveryPipeline(Http, options ?? Fast).SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent("{\"text\":\"hi\"}", Encoding.UTF8, "application/json") },
            TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_2xx_is_delivered_at_once()
    {
        await using var receiver = await Receiver.StartAsync();
        var outcome = Assert.IsType<DeliveryOutcome.Delivered>(await SendAsync(receiver.Url));
        Assert.Equal(1, outcome.Attempts);
        Assert.Equal(200, outcome.StatusCode);
        Assert.Equal("{\"text\":\"hi\"}", Assert.Single(receiver.Requests).Body);
    }

    [Fact]
    public async Task Server_errors_are_retried_until_success()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Script(new Answer(500), new Answer(503));

        var outcome = Assert.IsType<DeliveryOutcome.Delivered>(await SendAsync(receiver.Url));

        Assert.Equal(3, outcome.Attempts);
        Assert.Equal(3, receiver.Requests.Count);
    }

    [Fact]
    public async Task Rate_limiting_is_retried_after_the_receivers_retry_after()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Script(new Answer(429, RetryAfter: "1"));

        var outcome = Assert.IsType<DeliveryOutcome.Delivered>(await SendAsync(receiver.Url));

        Assert.Equal(2, outcome.Attempts);
        var gap = receiver.Requests[1].At - receiver.Requests[0].At;
        Assert.True(gap >= TimeSpan.FromMilliseconds(900), $"the retry came {gap.TotalMilliseconds} ms later; Retry-After asked for 1 s");
    }

    [Fact]
    public async Task Rate_limiting_without_retry_after_is_retried_with_the_backoff()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Script(new Answer(429), new Answer(429));
        Assert.Equal(3, Assert.IsType<DeliveryOutcome.Delivered>(await SendAsync(receiver.Url)).Attempts);
    }

    [Fact]
    public async Task A_long_retry_after_is_capped()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Script(new Answer(429, RetryAfter: "3600"));
        var clock = Stopwatch.StartNew();

        Assert.IsType<DeliveryOutcome.Delivered>(await SendAsync(receiver.Url, Fast with { RetryAfterCap = TimeSpan.FromMilliseconds(100) }));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(410)]
    public async Task Other_4xx_are_not_retried(int status)
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Otherwise = new Answer(status);

        var outcome = Assert.IsType<DeliveryOutcome.Failed>(await SendAsync(receiver.Url));

        Assert.Equal(1, outcome.Attempts);
        Assert.Single(receiver.Requests);
        Assert.Equal("rejected", outcome.Reason);
        Assert.Equal($"HTTP {status} after 1 attempt(s)", outcome.Message);
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_gets_the_retries_then_the_delivery_fails()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Otherwise = new Answer(502);

        var outcome = Assert.IsType<DeliveryOutcome.Failed>(await SendAsync(receiver.Url));

        Assert.Equal(4, outcome.Attempts);
        Assert.Equal(4, receiver.Requests.Count);
        Assert.Equal("server_error", outcome.Reason);
    }

    [Fact]
    public async Task Backoff_doubles_between_attempts()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Otherwise = new Answer(500);

        await SendAsync(receiver.Url, Fast with { FirstRetryDelay = TimeSpan.FromMilliseconds(200), Retries = 2 });

        var times = receiver.Requests.Select(r => r.At).ToList();
        Assert.Equal(3, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(180), $"first retry after {(times[1] - times[0]).TotalMilliseconds} ms");
        Assert.True(times[2] - times[1] >= TimeSpan.FromMilliseconds(380), $"second retry after {(times[2] - times[1]).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_refused_connection_is_retried_and_reported_without_the_url()
    {
        var url = $"http://127.0.0.1:{FreePort()}/services/T000/B000/secret-token";

        var outcome = Assert.IsType<DeliveryOutcome.Failed>(await SendAsync(url));

        Assert.Equal(4, outcome.Attempts);
        Assert.Equal("network", outcome.Reason);
        Assert.DoesNotContain("secret-token", outcome.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hanging_receiver_times_out_per_attempt_and_is_retried()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Script(new Answer(200, Delay: TimeSpan.FromSeconds(30)));

        var outcome = Assert.IsType<DeliveryOutcome.Delivered>(await SendAsync(receiver.Url, Fast with { AttemptTimeout = TimeSpan.FromMilliseconds(300) }));

        Assert.Equal(2, outcome.Attempts);
    }

    [Fact]
    public async Task A_receiver_that_always_hangs_fails_as_a_timeout()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Otherwise = new Answer(200, Delay: TimeSpan.FromSeconds(30));

        var outcome = Assert.IsType<DeliveryOutcome.Failed>(await SendAsync(receiver.Url, Fast with { AttemptTimeout = TimeSpan.FromMilliseconds(200), Retries = 1 }));

        Assert.Equal("timeout", outcome.Reason);
        Assert.Equal(2, outcome.Attempts);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
