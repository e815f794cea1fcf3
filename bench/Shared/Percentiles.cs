namespace IncidentResponder.Bench;

internal static class Percentiles
{
    /// <summary>Nearest-rank percentile (p in 0..100) of a non-empty sample.</summary>
    public static TimeSpan Of(IReadOnlyList<TimeSpan> sample, double p)
    {
        ArgumentOutOfRangeException.ThrowIfZero(sample.Count);
        var sorted = sample.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
