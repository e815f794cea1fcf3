using Cronos;

namespace IncidentResponder.Core.Policy;

/// <summary>One opening of a maintenance window: open from <paramref name="Start"/> (inclusive) to <paramref name="End"/> (exclusive).</summary>
public sealed record MaintenanceInterval(DateTimeOffset Start, DateTimeOffset End)
{
    public bool Contains(DateTimeOffset now) => Start <= now && now < End;
}

/// <summary>
/// A parsed maintenance window: when it is open and when it opens next. Recurring windows open each time their cron
/// schedule fires (in their time zone, following daylight saving time as Cronos does) and stay open for their
/// duration in elapsed time; one-off windows are open between start and end.
/// </summary>
public abstract record MaintenanceWindowSchedule(string Name)
{
    /// <summary>The opening that contains <paramref name="now"/>, or null when the window is closed.</summary>
    public abstract MaintenanceInterval? OpenAt(DateTimeOffset now);

    /// <summary>The first opening that starts strictly after <paramref name="now"/>, or null when there is none.</summary>
    public abstract MaintenanceInterval? NextAfter(DateTimeOffset now);

    /// <summary>Opens each time the schedule fires and stays open for <paramref name="Duration"/>.</summary>
    public sealed record Recurring(string Name, CronExpression Schedule, TimeZoneInfo Zone, TimeSpan Duration) : MaintenanceWindowSchedule(Name)
    {
        public override MaintenanceInterval? OpenAt(DateTimeOffset now)
        {
            if (Duration <= TimeSpan.Zero)
            {
                return null;
            }

            // The latest firing in (now - duration, now] is the opening that still lasts. The API bounds the duration
            // (168h), so even an every-minute schedule walks a bounded number of firings.
            DateTimeOffset? latest = null;
            foreach (var fired in Schedule.GetOccurrences(now - Duration, now, Zone, fromInclusive: false, toInclusive: true))
            {
                latest = fired;
            }

            return latest is { } start ? new MaintenanceInterval(start, start + Duration) : null;
        }

        public override MaintenanceInterval? NextAfter(DateTimeOffset now) =>
            Duration > TimeSpan.Zero && Schedule.GetNextOccurrence(now, Zone, inclusive: false) is { } start
                ? new MaintenanceInterval(start, start + Duration)
                : null;
    }

    /// <summary>Open once, from <paramref name="Start"/> to <paramref name="End"/>.</summary>
    public sealed record OneOff(string Name, DateTimeOffset Start, DateTimeOffset End) : MaintenanceWindowSchedule(Name)
    {
        public override MaintenanceInterval? OpenAt(DateTimeOffset now)
        {
            var interval = new MaintenanceInterval(Start, End);
            return interval.Contains(now) ? interval : null;
        }

        public override MaintenanceInterval? NextAfter(DateTimeOffset now) => Start > now && End > Start ? new MaintenanceInterval(Start, End) : null;
    }
}
