namespace IncidentResponder.Core.Metrics;

/// <summary>
/// When to ask Prometheus again for a Deployment: on the policy's interval, but sooner when a check's <c>for</c> runs
/// out before then, so an incident opens when the hold is complete rather than up to one interval later.
/// </summary>
public static class MetricsLookAgain
{
    public static DateTimeOffset After(DateTimeOffset now, TimeSpan interval, IEnumerable<(DateTimeOffset HeldSince, TimeSpan For)> pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var next = now + interval;
        foreach (var (since, holdFor) in pending)
        {
            var due = since + holdFor;
            if (due > now && due < next)
            {
                next = due;
            }
        }

        return next;
    }
}
