namespace IncidentResponder.Runtime.Queue;

/// <summary>Decides how long an item must wait before it is retried (client-go's workqueue.RateLimiter).</summary>
public interface IRateLimiter<in T>
    where T : notnull
{
    /// <summary>Records one more failure of <paramref name="item"/> and returns how long it must wait.</summary>
    TimeSpan When(T item);

    /// <summary>Stops tracking the item: its next failure starts again from the base delay.</summary>
    void Forget(T item);

    /// <summary>How many times the item has been rate limited since it was last forgotten.</summary>
    int NumRequeues(T item);
}
