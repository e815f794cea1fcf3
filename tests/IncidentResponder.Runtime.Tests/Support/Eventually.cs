namespace IncidentResponder.Runtime.Tests.Support;

/// <summary>Polls a condition until it holds or a deadline passes (never a fixed sleep as synchronisation).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Condition not met within {timeout ?? TimeSpan.FromSeconds(10)}: {because}");
            }

            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }
}
