using IncidentResponder.Simulator.Kubelet;
using IncidentResponder.Simulator.Metrics;

namespace IncidentResponder.Simulator.Tests.Monitoring;

/// <summary>Simulated request metrics: derived from the clock, counters that only grow, faults that show in the numbers.</summary>
public sealed class TrafficModelTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly SimulatedMetricsOptions Settings = new() { RequestsPerSecond = 10 };

    private static PodTraffic Pod(FaultSpec fault) => new("shop", "web-abc-x1", "web", "abc", Start, fault);

    private static RequestSeries Code(IReadOnlyList<RequestSeries> series, string code) => series.Single(s => s.Code == code);

    [Fact]
    public void A_healthy_pod_answers_the_configured_rate_all_with_200_in_20_to_50_ms()
    {
        var series = TrafficModel.Sample(Pod(FaultSpec.None), Start.AddSeconds(60), Settings);

        Assert.Equal(600, Code(series, "200").Count);
        Assert.Equal(0, Code(series, "500").Count);
        Assert.Equal(0.035, Code(series, "200").SumSeconds / 600, precision: 6);
        var buckets = Code(series, "200").Buckets.ToDictionary(b => b.UpperBound, b => b.Count);
        Assert.Equal(0, buckets[0.01]);
        Assert.Equal(100, buckets[0.025]);
        Assert.Equal(600, buckets[0.05]);
    }

    [Fact]
    public void An_errors_pod_answers_its_ratio_with_500()
    {
        var series = TrafficModel.Sample(Pod(FaultSpec.Parse("errors")), Start.AddSeconds(100), Settings);

        Assert.Equal(300, Code(series, "500").Count);
        Assert.Equal(700, Code(series, "200").Count);
    }

    [Fact]
    public void A_slow_pod_adds_its_latency_to_every_request()
    {
        var series = TrafficModel.Sample(Pod(FaultSpec.Parse("slow") with { Latency = TimeSpan.FromSeconds(3) }), Start.AddSeconds(10), Settings);

        var ok = Code(series, "200");
        var buckets = ok.Buckets.ToDictionary(b => b.UpperBound, b => b.Count);
        Assert.Equal(0, buckets[2.5]);
        Assert.Equal(100, buckets[5]);
        Assert.Equal(3.035, ok.SumSeconds / ok.Count, precision: 6);
    }

    [Fact]
    public void Every_counter_and_bucket_only_grows_as_time_passes()
    {
        foreach (var fault in new[] { FaultSpec.None, FaultSpec.Parse("errors") with { ErrorRatio = 0.37 }, FaultSpec.Parse("slow") })
        {
            IReadOnlyList<RequestSeries>? previous = null;
            for (var ms = 0; ms <= 20_000; ms += 137)
            {
                var current = TrafficModel.Sample(Pod(fault), Start.AddMilliseconds(ms), Settings);
                if (previous is not null)
                {
                    foreach (var (before, after) in previous.Zip(current))
                    {
                        Assert.True(after.Count >= before.Count && after.SumSeconds >= before.SumSeconds, $"{fault.Kind} {after.Code} shrank at {ms} ms");
                        Assert.All(before.Buckets.Zip(after.Buckets), pair => Assert.True(pair.Second.Count >= pair.First.Count));
                    }
                }

                Assert.All(current, s => Assert.True(s.Buckets.Zip(s.Buckets.Skip(1)).All(pair => pair.First.Count <= pair.Second.Count) && s.Buckets[^1].Count <= s.Count));
                previous = current;
            }
        }
    }

    [Fact]
    public void A_pod_not_yet_serving_has_answered_nothing()
    {
        var series = TrafficModel.Sample(Pod(FaultSpec.None), Start.AddSeconds(-5), Settings);

        Assert.All(series, s => Assert.Equal(0, s.Count));
    }

    [Fact]
    public void The_exposition_names_every_label_and_escapes_their_values()
    {
        var pod = new PodTraffic("shop", "web-\"q\"\\x", "web", "abc", Start, FaultSpec.None);

        var text = ApplicationMetrics.Render([(pod, TrafficModel.Sample(pod, Start.AddSeconds(1), Settings))]);

        Assert.Contains("# TYPE http_requests_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE http_request_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("http_requests_total{namespace=\"shop\",pod=\"web-\\\"q\\\"\\\\x\",deployment=\"web\",pod_template_hash=\"abc\",code=\"200\"} 10\n", text, StringComparison.Ordinal);
        Assert.Contains(",code=\"200\",le=\"0.025\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains(",code=\"200\",le=\"+Inf\"} 10\n", text, StringComparison.Ordinal);
        Assert.Contains("http_request_duration_seconds_count{namespace=\"shop\"", text, StringComparison.Ordinal);
    }
}
