namespace IncidentResponder.Soak;

/// <summary>The fitted growth of one resource over one process generation's samples.</summary>
public sealed record Trend(string Process, string Resource, int Samples, double First, double Last, double SlopePerMinute, bool Growing);

/// <summary>
/// Flat or growing: a least-squares line through a series of samples. A restart starts a new series, so only a
/// process that lived through several samples says anything. Growing means the line rises, over the series, by more
/// than the resource's absolute floor and by more than half of where it started: start-up warm-up and GC sawtooth
/// stay under that, a leak over a long run does not.
/// </summary>
public static class ResourceTrend
{
    private static readonly Dictionary<string, double> Floors = new(StringComparer.Ordinal)
    {
        ["fds"] = 50, ["sockets"] = 20, ["threads"] = 20, ["heap MB"] = 64,
    };

    public const int MinimumSamples = 3;

    public static IReadOnlyList<Trend> Of(string process, IReadOnlyList<ResourceSample> samples)
    {
        if (samples.Count < MinimumSamples)
        {
            return [];
        }

        var start = samples[0].At;
        var minutes = samples.Select(s => (s.At - start).TotalMinutes).ToList();
        var series = new List<(string Resource, IReadOnlyList<double> Values)>
        {
            ("fds", [.. samples.Select(s => (double)s.Fds)]),
            ("sockets", [.. samples.Select(s => (double)s.Sockets)]),
            ("threads", [.. samples.Select(s => (double)s.Threads)]),
        };
        var result = series.Select(s => Fit(process, s.Resource, minutes, s.Values)).ToList();
        // A scrape that timed out leaves a hole: the heap's series is the samples that have a figure.
        var heap = samples.Where(s => s.HeapBytes is not null).ToList();
        if (heap.Count >= MinimumSamples)
        {
            result.Add(Fit(process, "heap MB", [.. heap.Select(s => (s.At - start).TotalMinutes)], [.. heap.Select(s => s.HeapBytes!.Value / (1024 * 1024))]));
        }

        return result;
    }

    private static Trend Fit(string process, string resource, IReadOnlyList<double> minutes, IReadOnlyList<double> values)
    {
        var slope = Slope(minutes, values);
        var rise = slope * (minutes[^1] - minutes[0]);
        return new Trend(process, resource, values.Count, values[0], values[^1], slope, rise > Floors[resource] && rise > 0.5 * Math.Max(1, values[0]));
    }

    /// <summary>Least-squares slope of y over x.</summary>
    public static double Slope(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var n = x.Count;
        var meanX = x.Average();
        var meanY = y.Average();
        var covariance = Enumerable.Range(0, n).Sum(i => (x[i] - meanX) * (y[i] - meanY));
        var variance = x.Sum(v => (v - meanX) * (v - meanX));
        return variance == 0 ? 0 : covariance / variance;
    }
}
