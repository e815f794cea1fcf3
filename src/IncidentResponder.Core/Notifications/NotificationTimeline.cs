using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Core.Notifications;

/// <summary>
/// Which deliveries the incident's timeline tells: the first update a target got, escalation and resolution
/// updates, the first failure of a streak, a recovery, and giving up. Routine updates (each action, periodic) are
/// counted in <c>status.notifications</c> only, so a long incident's notices cannot crowd its story out of the
/// bounded timeline, and neither can a receiver that is down for hours.
/// </summary>
public static class NotificationTimeline
{
    public static TimelineEntry? Delivered(NotificationTarget target, IncidentUpdate update, NotificationRecord? before, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(update);
        var what = update.PagerDuty is { } action ? $"{update.Headline} ({action.ToString().ToLowerInvariant()})" : update.Headline;
        var failures = before?.ConsecutiveFailures ?? 0;
        if (failures > 0)
        {
            return Entry(now, $"Notified {Name(target)}: {what}, after {failures} failed deliver{(failures == 1 ? "y" : "ies")}");
        }

        return update.Kind is UpdateKind.Declared or UpdateKind.Escalated or UpdateKind.Resolved || update.PagerDuty is not null
            ? Entry(now, $"Notified {Name(target)}: {what}")
            : null;
    }

    public static TimelineEntry? Failed(NotificationTarget target, NotificationRecord after, bool incidentClosed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(after);
        var failures = after.ConsecutiveFailures ?? 0;
        if (incidentClosed && failures >= DeliveryBackoff.MaxFailuresAfterClose)
        {
            return Entry(now, $"Notification to {Name(target)} failed {failures} times in a row; giving up: {after.LastError}");
        }

        return failures == 1 ? Entry(now, $"Notification to {Name(target)} failed: {after.LastError}; retrying with back-off") : null;
    }

    /// <summary>
    /// Writes the records (one per target, replaced whole) and appends the entries not already there, so applying
    /// the same change again to a re-read incident (after a 409) changes nothing twice.
    /// </summary>
    public static void Apply(IncidentStatus status, IReadOnlyCollection<NotificationRecord> records, IReadOnlyCollection<TimelineEntry> entries, IReadOnlyCollection<string> currentTargets)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(currentTargets);
        var notifications = status.Notifications ?? [];
        foreach (var record in records)
        {
            var index = notifications.FindIndex(r => r.Target == record.Target);
            if (index >= 0)
            {
                notifications[index] = IncidentStatusCopy.Clone(record);
            }
            else
            {
                notifications.Add(IncidentStatusCopy.Clone(record));
            }
        }

        // The API keeps at most 10 records: when targets were renamed or removed, the stalest old ones go first.
        while (notifications.Count > MaxRecords && notifications.FindIndex(r => !currentTargets.Contains(r.Target)) >= 0)
        {
            var stale = notifications.Where(r => !currentTargets.Contains(r.Target)).MinBy(r => r.LastSentAt ?? r.LastErrorAt ?? DateTime.MinValue)!;
            notifications.Remove(stale);
        }

        status.Notifications = notifications;
        foreach (var entry in entries)
        {
            if (status.Timeline?.Exists(e => e.Time == entry.Time && e.Type == entry.Type && e.Message == entry.Message) != true)
            {
                status.Timeline = BoundedTimeline.Append(status.Timeline, entry);
            }
        }
    }

    public const int MaxRecords = 10;

    private static string Name(NotificationTarget target) => $"{target.Name} ({target.Type})";

    private static TimelineEntry Entry(DateTimeOffset now, string message) => new()
    {
        Time = now.UtcDateTime,
        Type = TimelineEntryType.Notification,
        Message = ActionRecords.Truncate(message),
    };
}
