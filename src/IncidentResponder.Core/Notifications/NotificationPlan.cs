using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Notifications;

/// <summary>What to do for one target now.</summary>
public abstract record NotificationPlan
{
    private NotificationPlan()
    {
    }

    /// <summary>Send this update; on success, record <paramref name="Delivered"/> for the target.</summary>
    public sealed record Send(IncidentUpdate Update, NotificationRecord Delivered) : NotificationPlan;

    /// <summary>Nothing now; look again at <paramref name="At"/> (the next periodic update, or the end of a back-off).</summary>
    public sealed record Wait(DateTimeOffset At) : NotificationPlan;

    /// <summary>Nothing now, and nothing until the incident changes.</summary>
    public sealed record Idle : NotificationPlan
    {
        public static Idle Instance { get; } = new();
    }
}
