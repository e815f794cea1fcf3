using System.Globalization;

namespace IncidentResponder.Demo;

/// <summary>
/// The samples' timings are meant for production (hold a signal 20 s, verify for 30 s, trust a revision after 5
/// minutes); the demo shortens exactly these so the whole story fits in a minute, and says so on screen.
/// </summary>
internal sealed record DemoTimings
{
    /// <summary>How long a signal must hold before an incident opens (policy spec.detection.holdFor).</summary>
    public TimeSpan HoldFor { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a revision must be Available to count as last known good (spec.detection.lastKnownGoodSoak).</summary>
    public TimeSpan LastKnownGoodSoak { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the rolled-back Deployment must stay healthy to count as mitigated (the rollback step's verify.window).</summary>
    public TimeSpan VerifyWindow { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Go-style duration, as the CRDs take them: 2s, 1m30s.</summary>
    public static string Format(TimeSpan duration) =>
        duration.TotalSeconds < 60
            ? duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"
            : $"{(int)duration.TotalMinutes}m{(duration.Seconds > 0 ? duration.Seconds.ToString(CultureInfo.InvariantCulture) + "s" : string.Empty)}";
}
