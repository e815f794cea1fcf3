using IncidentResponder.Simulator.Kubelet;

namespace IncidentResponder.Simulator.Metrics;

/// <summary>The requests a pod answered with one status code: how many, their total duration, and the cumulative histogram buckets.</summary>
public sealed record RequestSeries(string Code, long Count, double SumSeconds, IReadOnlyList<(double UpperBound, long Count)> Buckets);

/// <summary>
/// Simulated application traffic as a pure function of time: a pod that has served for <c>t</c> seconds at
/// <c>r</c> requests per second has answered <c>floor(r·t)</c> requests, an <c>errors</c> pod <c>floor(n·ratio)</c> of
/// them with 500, and request durations are spread evenly over the healthy range, shifted by a <c>slow</c> pod's
/// latency. Every count is a floor of a product that grows with time, so counters only grow between scrapes and no
/// background loop is needed: a scrape computes them from the clock.
/// </summary>
public static class TrafficModel
{
    /// <summary>The default buckets of Prometheus' client libraries (seconds).</summary>
    public static readonly IReadOnlyList<double> Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public static IReadOnlyList<RequestSeries> Sample(PodTraffic pod, DateTimeOffset now, SimulatedMetricsOptions settings)
    {
        var served = now - pod.ServingSince;
        var total = served <= TimeSpan.Zero ? 0 : (long)Math.Floor(served.TotalSeconds * settings.RequestsPerSecond);
        var errors = pod.Fault.Kind == FaultKind.Errors ? (long)Math.Floor(total * pod.Fault.ErrorRatio) : 0;
        var added = pod.Fault.Kind == FaultKind.Slow ? pod.Fault.Latency.TotalSeconds : 0;
        var fastest = settings.FastestRequest.TotalSeconds + added;
        var slowest = Math.Max(settings.SlowestRequest.TotalSeconds + added, fastest);
        return [Series("200", total - errors, fastest, slowest), Series("500", errors, fastest, slowest)];
    }

    private static RequestSeries Series(string code, long count, double fastest, double slowest)
    {
        var buckets = Buckets.Select(bound => (bound, (long)Math.Floor(count * ShareAtMost(bound, fastest, slowest)))).ToList();
        return new RequestSeries(code, count, count * (fastest + slowest) / 2, buckets);
    }

    /// <summary>The share of durations, spread evenly over [fastest, slowest], that are at most <paramref name="bound"/>.</summary>
    private static double ShareAtMost(double bound, double fastest, double slowest) =>
        bound >= slowest ? 1 : bound < fastest ? 0 : (bound - fastest) / (slowest - fastest);
}
