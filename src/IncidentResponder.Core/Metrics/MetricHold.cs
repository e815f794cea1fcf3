namespace IncidentResponder.Core.Metrics;

/// <summary>
/// The <c>for</c> of a check: it raises its signal only after holding continuously that long. A single answer that
/// does not hold (or no answer at all) starts the clock again, as Prometheus' own alert rules do.
/// </summary>
public static class MetricHold
{
    /// <summary>Since when the check has held without a break, given when it started before; null when it does not hold.</summary>
    public static DateTimeOffset? Advance(DateTimeOffset? heldSince, bool holds, DateTimeOffset now) => holds ? heldSince ?? now : null;

    public static bool Confirmed(DateTimeOffset? heldSince, TimeSpan holdFor, DateTimeOffset now) => heldSince is { } since && now - since >= holdFor;
}
