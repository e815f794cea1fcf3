namespace IncidentResponder.Runtime.Informers;

/// <summary>
/// Delay before re-opening a failed LIST/WATCH: doubling from <c>initial</c> up to <c>cap</c>, each delay jittered by up
/// to +<c>jitter</c> (a fraction), so many informers that failed together do not reconnect together (the relist
/// thundering herd). Reset after a watch delivered events, like client-go's backoff manager.
/// </summary>
public sealed class ReconnectBackoff(TimeSpan initial, TimeSpan cap, double jitter, Random random)
{
    private int _failures;

    public TimeSpan Next()
    {
        var exponent = Math.Min(_failures, 30);
        _failures++;
        var baseTicks = Math.Min(cap.Ticks, initial.Ticks * Math.Pow(2, exponent));
        var jittered = baseTicks * (1 + (jitter * random.NextDouble()));
        return TimeSpan.FromTicks((long)Math.Min(jittered, cap.Ticks * (1 + jitter)));
    }

    public void Reset() => _failures = 0;
}
