namespace IncidentResponder.Core.Notifications;

/// <summary>
/// When a target whose deliveries keep failing is tried again: 30 s after the first failure, doubling up to 10 min.
/// Each delivery already retries quickly inside itself (Polly); this spaces out whole deliveries, so a receiver that
/// is down for an hour costs a handful of requests, not a hot loop. Derived from the record, so it survives restarts.
/// </summary>
public static class DeliveryBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Cap = TimeSpan.FromMinutes(10);

    /// <summary>
    /// After a closed incident's update failed this many times in a row, the target gets no more tries for it: the
    /// incident is over and the timeline says the update was never delivered.
    /// </summary>
    public const int MaxFailuresAfterClose = 10;

    public static TimeSpan Delay(int consecutiveFailures, TimeSpan? first = null)
    {
        var start = first ?? First;
        if (consecutiveFailures <= 0)
        {
            return TimeSpan.Zero;
        }

        var exponent = Math.Min(consecutiveFailures - 1, 20); // 2^20 × anything positive is far past the cap
        var delay = TimeSpan.FromTicks(start.Ticks * (1L << exponent));
        return delay > Cap || delay < TimeSpan.Zero ? Cap : delay;
    }
}
