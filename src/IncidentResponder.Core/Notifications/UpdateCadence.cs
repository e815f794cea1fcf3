using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Time;

namespace IncidentResponder.Core.Notifications;

/// <summary>
/// The severity table's communication column: while an incident is open, an update at least every 15 / 30 / 60 minutes for
/// SEV-1 / SEV-2 / SEV-3, and none on a clock for SEV-4 ("as needed"), unless the policy sets its own.
/// </summary>
public static class UpdateCadence
{
    public static readonly TimeSpan Sev1Default = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan Sev2Default = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan Sev3Default = TimeSpan.FromMinutes(60);

    /// <summary>The interval for the severity; null when no periodic update is due at that severity.</summary>
    public static TimeSpan? For(NotificationCadence? cadence, Severity severity)
    {
        var interval = severity switch
        {
            Severity.Sev1 => GoDuration.ParseOrDefault(cadence?.Sev1, Sev1Default),
            Severity.Sev2 => GoDuration.ParseOrDefault(cadence?.Sev2, Sev2Default),
            Severity.Sev3 => GoDuration.ParseOrDefault(cadence?.Sev3, Sev3Default),
            _ => cadence?.Sev4 is { Length: > 0 } sev4 ? GoDuration.Parse(sev4) : (TimeSpan?)null,
        };

        // "0s" reads as "no clock": a zero interval would ask for an update on every look.
        return interval is { } value && value > TimeSpan.Zero ? value : null;
    }
}
