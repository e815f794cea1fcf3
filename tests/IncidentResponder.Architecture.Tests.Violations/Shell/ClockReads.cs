namespace IncidentResponder.Architecture.Tests.Violations.Shell;

/// <summary>Reads the clock directly, once per banned clock.</summary>
public static class ClockReads
{
    public static DateTime DateTimeUtcNow() => DateTime.UtcNow;

    public static DateTime DateTimeNow() => DateTime.Now;

    public static DateTime DateTimeToday() => DateTime.Today;

    public static DateTimeOffset DateTimeOffsetUtcNow() => DateTimeOffset.UtcNow;

    public static DateTimeOffset DateTimeOffsetNow() => DateTimeOffset.Now;

    public static long Ticks() => Environment.TickCount64 + Environment.TickCount;

    public static TimeSpan Measured()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        return watch.Elapsed;
    }
}
