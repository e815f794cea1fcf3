namespace IncidentResponder.Operator.Bench;

/// <summary>Waiting for a condition with a deadline, checking every 20 ms.</summary>
internal static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan limit, string what, CancellationToken cancellationToken)
    {
        if (!await TryUntilAsync(condition, limit, cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException($"Not observed within {limit}: {what}");
        }
    }

    public static async Task<bool> TryUntilAsync(Func<bool> condition, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
}
