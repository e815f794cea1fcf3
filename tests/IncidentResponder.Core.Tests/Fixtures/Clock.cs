namespace IncidentResponder.Core.Tests.Fixtures;

/// <summary>Fixed instants: every test is deterministic and none reads the real clock.</summary>
public static class Clock
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);
}
