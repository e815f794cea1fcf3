namespace IncidentResponder.Simulator.Tests.Support;

/// <summary>Waits for a condition by polling with a deadline (never a fixed sleep).</summary>
internal static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {timeout} waiting for {what}");
            }

            await Task.Yield();
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
