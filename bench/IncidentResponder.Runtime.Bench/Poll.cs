namespace IncidentResponder.Runtime.Bench;

internal static class Poll
{
    /// <summary>Waits until <paramref name="condition"/> holds, checking every millisecond, or fails after <paramref name="limit"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan limit, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up after {limit.TotalSeconds:F0} s waiting for {what}.");
            }

            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }
}
