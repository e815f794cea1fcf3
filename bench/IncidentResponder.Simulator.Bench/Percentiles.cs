namespace IncidentResponder.Simulator.Bench;

/// <summary>Latency samples summarized by nearest-rank percentiles.</summary>
internal sealed record LatencySummary(string Name, int Runs, double P50Ms, double P99Ms, double MaxMs, string Detail)
{
    public static LatencySummary From(string name, IReadOnlyList<TimeSpan> samples, string detail)
    {
        var sorted = samples.Select(s => s.TotalMilliseconds).Order().ToArray();
        return new LatencySummary(name, sorted.Length, NearestRank(sorted, 0.50), NearestRank(sorted, 0.99), sorted[^1], detail);
    }

    private static double NearestRank(double[] sorted, double percentile) =>
        sorted[Math.Clamp((int)Math.Ceiling(percentile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
