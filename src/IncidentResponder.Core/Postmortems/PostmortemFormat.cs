using IncidentResponder.Core.Time;

namespace IncidentResponder.Core.Postmortems;

/// <summary>Durations as the rest of the cluster writes them (Go style), rounded to what a reader cares about.</summary>
internal static class PostmortemFormat
{
    public static string Duration(TimeSpan span) =>
        GoDuration.Format(TimeSpan.FromMilliseconds(Math.Round(span.TotalMilliseconds / 100) * 100));

    public static string Duration(TimeSpan? span) => span is { } s ? Duration(s) : "unknown";

    /// <summary>"within the 5m target" or "over the 5m target".</summary>
    public static bool Within(TimeSpan actual, TimeSpan target) => actual <= target;
}
