namespace IncidentResponder.Runtime.Bench;

/// <summary>The managed heap after full, compacting, blocking collections: live objects only, no garbage.</summary>
internal static class HeapProbe
{
    private const long SettledWithin = 256 * 1024;
    private const int MaxReadings = 20;

    public static long LiveBytes()
    {
        // Twice: the first collection can make finalizable objects collectable only for the second.
        for (var i = 0; i < 2; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>
    /// Live bytes once the heap has stopped moving: two readings half a second apart within 256 KiB. Closed connections,
    /// timers and pooled buffers of the API server in this process are released a moment after their last use; a
    /// single reading taken too early charges (or credits) them to whatever is measured next.
    /// </summary>
    public static async Task<long> SettledLiveBytesAsync(CancellationToken cancellationToken)
    {
        var previous = LiveBytes();
        for (var reading = 1; reading < MaxReadings; reading++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
            var current = LiveBytes();
            if (Math.Abs(current - previous) <= SettledWithin)
            {
                return current;
            }

            previous = current;
        }

        return previous;
    }
}
