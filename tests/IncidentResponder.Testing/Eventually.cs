using System.Runtime.CompilerServices;

namespace IncidentResponder.Testing;

/// <summary>
/// Waits for a condition by polling it until it holds or a deadline passes, then fails the test naming what it waited
/// for. The only way tests wait: never a fixed sleep as synchronisation.
/// </summary>
public static class Eventually
{
    /// <summary>How long a wait lasts when the caller does not say: generous, since a passing wait returns at once.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(45);

    /// <summary>How often a probe that does I/O (an API call, a scrape) is looked at.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>How often an in-memory condition is looked at: often, so a short-lived state is not missed.</summary>
    public static readonly TimeSpan InMemoryInterval = TimeSpan.FromMilliseconds(5);

    /// <summary>Polls <paramref name="probe"/> until it returns a value, and returns that value.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null, TimeSpan? interval = null)
        where T : class
    {
        var limit = timeout ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not observed within {limit}: {what}");
            }

            await Task.Delay(interval ?? DefaultInterval, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Polls an in-memory <paramref name="condition"/> until it holds; without <paramref name="what"/> the failure quotes the condition.</summary>
    public static Task TrueAsync(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? what = null, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        ValueAsync(() => Task.FromResult(condition() ? string.Empty : null), what ?? "the condition", timeout, interval ?? InMemoryInterval);

    /// <summary>Polls <paramref name="condition"/> until it holds; without <paramref name="what"/> the failure quotes the condition.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, [CallerArgumentExpression(nameof(condition))] string? what = null, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        ValueAsync(async () => await condition() ? string.Empty : null, what ?? "the condition", timeout, interval);
}
