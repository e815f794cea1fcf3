using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using IncidentResponder.Simulator.Chaos;

namespace IncidentResponder.Simulator.Tests.Chaos;

/// <summary>
/// <see cref="SimulatorOptions.Chaos"/> measured over the wire with a fixed seed: each fault's share of requests, the
/// exempt header, watch drops and compaction. Raw HTTP, so a reset connection is seen as the client sees it.
/// </summary>
public sealed class ChaosTests
{
    private const int Seed = 20_261_207;

    private static async Task<(SimulatedCluster Cluster, HttpClient Http)> StartAsync(ChaosOptions chaos)
    {
        var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { Chaos = chaos }, TestContext.Current.CancellationToken);
        var http = new HttpClient { BaseAddress = cluster.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        // A fresh connection per request: .NET retries a request whose reused connection failed, which would hide resets.
        http.DefaultRequestHeaders.ConnectionClose = true;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", cluster.Options.Token);
        return (cluster, http);
    }

    /// <summary>The status of one GET, or 0 when the connection was reset before any answer.</summary>
    private static async Task<int> StatusOfAsync(HttpClient http, string path, bool exempt = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (exempt)
        {
            request.Headers.Add(ChaosOptions.ExemptHeader, "1");
        }

        try
        {
            using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            if ((int)response.StatusCode is 429 or 503)
            {
                Assert.True(response.Headers.RetryAfter?.Delta is not null, $"{(int)response.StatusCode} without Retry-After");
            }

            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    [Fact]
    public async Task The_error_rate_is_the_share_of_requests_answered_with_429_500_503_or_a_reset()
    {
        var (cluster, http) = await StartAsync(new ChaosOptions { Seed = Seed, ErrorRate = 0.2 });
        await using var _ = cluster;
        using var __ = http;

        var statuses = new List<int>();
        for (var i = 0; i < 400; i++)
        {
            statuses.Add(await StatusOfAsync(http, "/api/v1/namespaces/default/configmaps"));
        }

        var failed = statuses.Count(s => s != 200);
        Assert.InRange(failed, 80 - 28, 80 + 28);
        Assert.All(statuses, s => Assert.Contains(s, new[] { 200, 429, 500, 503, 0 }));
        Assert.All(new[] { 429, 500, 503, 0 }, kind => Assert.Contains(kind, statuses));
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_faults_in_the_same_order()
    {
        async Task<List<int>> RunAsync()
        {
            var (cluster, http) = await StartAsync(new ChaosOptions { Seed = Seed, ErrorRate = 0.3 });
            await using var _ = cluster;
            using var __ = http;
            var statuses = new List<int>();
            for (var i = 0; i < 60; i++)
            {
                statuses.Add(await StatusOfAsync(http, "/api/v1/namespaces/default/configmaps"));
            }

            return statuses;
        }

        var first = await RunAsync();
        var second = await RunAsync();

        Assert.Equal(first, second);
        Assert.Contains(first, s => s != 200);
    }

    [Fact]
    public async Task Requests_with_the_exempt_header_are_never_touched()
    {
        var (cluster, http) = await StartAsync(new ChaosOptions { Seed = Seed, ErrorRate = 1.0, ConflictRate = 1.0 });
        await using var _ = cluster;
        using var __ = http;

        var exempt = new List<int>();
        var other = new List<int>();
        for (var i = 0; i < 50; i++)
        {
            exempt.Add(await StatusOfAsync(http, "/api/v1/namespaces/default/configmaps", exempt: true));
            other.Add(await StatusOfAsync(http, "/api/v1/namespaces/default/configmaps"));
        }

        Assert.All(exempt, s => Assert.Equal(200, s));
        Assert.All(other, s => Assert.NotEqual(200, s));
    }

    [Fact]
    public async Task Latency_is_added_uniformly_up_to_the_maximum()
    {
        var max = TimeSpan.FromMilliseconds(200);
        var (cluster, http) = await StartAsync(new ChaosOptions { Seed = Seed, MaxLatency = max });
        await using var _ = cluster;
        using var __ = http;

        async Task<double> MeanMillisecondsAsync(bool exempt)
        {
            var total = TimeSpan.Zero;
            for (var i = 0; i < 40; i++)
            {
                var started = Stopwatch.GetTimestamp();
                Assert.Equal(200, await StatusOfAsync(http, "/api/v1/namespaces", exempt));
                total += Stopwatch.GetElapsedTime(started);
            }

            return total.TotalMilliseconds / 40;
        }

        var exemptMean = await MeanMillisecondsAsync(exempt: true);
        var chaosMean = await MeanMillisecondsAsync(exempt: false);

        // Uniform in [0, 200 ms]: a mean of 100 ms added; wide bounds for a loaded machine, still far from none.
        Assert.InRange(chaosMean - exemptMean, 50, 200);
    }

    [Fact]
    public async Task The_conflict_rate_is_the_share_of_patches_answered_with_409_and_reads_get_none()
    {
        var (cluster, http) = await StartAsync(new ChaosOptions { Seed = Seed, ConflictRate = 0.5 });
        await using var _ = cluster;
        using var __ = http;
        var ct = TestContext.Current.CancellationToken;
        using (var create = await http.PostAsync("/api/v1/namespaces/default/configmaps",
            new StringContent("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"flags"},"data":{"n":"0"}}""", Encoding.UTF8, "application/json"), ct))
        {
            Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        }

        var patches = new List<int>();
        for (var i = 0; i < 200; i++)
        {
            using var patch = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/flags")
            {
                Content = new StringContent("{\"data\":{\"n\":\"" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"}}", Encoding.UTF8, "application/merge-patch+json"),
            };
            using var response = await http.SendAsync(patch, ct);
            patches.Add((int)response.StatusCode);
        }

        var reads = new List<int>();
        for (var i = 0; i < 50; i++)
        {
            reads.Add(await StatusOfAsync(http, "/api/v1/namespaces/default/configmaps/flags"));
        }

        Assert.InRange(patches.Count(s => s == 409), 100 - 25, 100 + 25);
        Assert.All(patches, s => Assert.Contains(s, new[] { 200, 409 }));
        Assert.All(reads, s => Assert.Equal(200, s));
    }

    [Fact]
    public async Task Every_watch_is_closed_within_the_drop_period()
    {
        var (cluster, http) = await StartAsync(new ChaosOptions { Seed = Seed, WatchDropWithin = TimeSpan.FromSeconds(1) });
        await using var _ = cluster;
        using var __ = http;
        var ct = TestContext.Current.CancellationToken;

        async Task<TimeSpan> WatchLifetimeAsync(bool exempt)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=5");
            if (exempt)
            {
                request.Headers.Add(ChaosOptions.ExemptHeader, "1");
            }

            var started = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            await (await response.Content.ReadAsStreamAsync(ct)).CopyToAsync(Stream.Null, ct);
            return Stopwatch.GetElapsedTime(started);
        }

        var lifetimes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => WatchLifetimeAsync(exempt: false)));
        var exemptLifetime = await WatchLifetimeAsync(exempt: true);

        Assert.All(lifetimes, l => Assert.True(l < TimeSpan.FromSeconds(3), $"a watch lived {l.TotalSeconds:0.0} s"));
        Assert.True(exemptLifetime >= TimeSpan.FromSeconds(4.5), $"the exempt watch lived only {exemptLifetime.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task Compaction_makes_a_watch_resumed_from_an_old_version_fail_with_410()
    {
        var (cluster, http) = await StartAsync(new ChaosOptions { Seed = Seed, CompactionEvery = TimeSpan.FromMilliseconds(300) });
        await using var _ = cluster;
        using var __ = http;
        var ct = TestContext.Current.CancellationToken;
        var old = cluster.ClusterStore.ResourceVersion;
        using (var create = await http.PostAsync("/api/v1/namespaces/default/configmaps",
            new StringContent("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"later"}}""", Encoding.UTF8, "application/json"), ct))
        {
            Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        }

        await Eventually.TrueAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1&resourceVersion={old}");
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            return body.Contains("\"code\":410", StringComparison.Ordinal);
        }, "a watch from before the compaction gets 410 Gone", TimeSpan.FromSeconds(10));
    }
}
