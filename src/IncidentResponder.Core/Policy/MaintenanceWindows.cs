using System.Globalization;
using Cronos;
using IncidentResponder.Core.Time;
using ApiWindow = IncidentResponder.Api.V1Alpha1.MaintenanceWindow;

namespace IncidentResponder.Core.Policy;

/// <summary>The maintenance window open at a moment, and when it closes.</summary>
public sealed record OpenMaintenanceWindow(string Name, DateTimeOffset Until);

/// <summary>
/// A policy's maintenance windows, parsed. The schema checks each window's shape; what it cannot check (a cron field
/// out of range, an unknown time zone) is a problem naming the field, reported in the policy's Ready condition, and
/// that window is left out rather than crashing or guessing.
/// </summary>
public sealed class MaintenanceWindows
{
    private MaintenanceWindows(IReadOnlyList<MaintenanceWindowSchedule> windows, IReadOnlyList<string> problems)
    {
        Windows = windows;
        Problems = problems;
    }

    public static MaintenanceWindows None { get; } = new([], []);

    public IReadOnlyList<MaintenanceWindowSchedule> Windows { get; }

    /// <summary>One line per window that could not be read, naming its field; empty when all are usable.</summary>
    public IReadOnlyList<string> Problems { get; }

    public static MaintenanceWindows From(IReadOnlyList<ApiWindow>? windows)
    {
        if (windows is not { Count: > 0 })
        {
            return None;
        }

        var parsed = new List<MaintenanceWindowSchedule>();
        var problems = new List<string>();
        foreach (var window in windows)
        {
            if (Parse(window, out var problem) is { } schedule)
            {
                parsed.Add(schedule);
            }
            else
            {
                problems.Add(problem!);
            }
        }

        return new MaintenanceWindows(parsed, problems);
    }

    /// <summary>
    /// The window open at <paramref name="now"/>; of several open at once, the one that stays open longest, so the
    /// hold it reports lasts as long as the overlap does.
    /// </summary>
    public OpenMaintenanceWindow? OpenAt(DateTimeOffset now) =>
        Windows.Select(w => (w.Name, Interval: w.OpenAt(now)))
            .Where(w => w.Interval is not null)
            .OrderByDescending(w => w.Interval!.End).ThenBy(w => w.Name, StringComparer.Ordinal)
            .Select(w => new OpenMaintenanceWindow(w.Name, w.Interval!.End))
            .FirstOrDefault();

    /// <summary>
    /// When the answer of <see cref="OpenAt"/> changes next: the open window's end, or else the next opening of any
    /// window. Null when no window will open again.
    /// </summary>
    public DateTimeOffset? NextChange(DateTimeOffset now) =>
        OpenAt(now) is { } open
            ? open.Until
            : Windows.Select(w => w.NextAfter(now)?.Start).Where(at => at is not null).Min();

    private static MaintenanceWindowSchedule? Parse(ApiWindow window, out string? problem)
    {
        problem = null;
        var field = $"spec.maintenanceWindows[{window.Name}]";
        if (window.Start is { } startText && window.End is { } endText)
        {
            if (!Time(startText, out var start))
            {
                problem = $"{field}.start: \"{startText}\" is not an RFC 3339 time such as 2026-12-24T18:00:00Z";
                return null;
            }

            if (!Time(endText, out var end))
            {
                problem = $"{field}.end: \"{endText}\" is not an RFC 3339 time such as 2026-12-24T20:00:00Z";
                return null;
            }

            return new MaintenanceWindowSchedule.OneOff(window.Name, start, end);
        }

        if (string.IsNullOrWhiteSpace(window.Schedule) || !GoDuration.TryParse(window.Duration, out var duration))
        {
            problem = $"{field}: needs either schedule and duration, or start and end";
            return null;
        }

        CronExpression cron;
        try
        {
            cron = CronExpression.Parse(window.Schedule.Trim(), CronFormat.Standard);
        }
        catch (CronFormatException invalid)
        {
            problem = $"{field}.schedule: \"{window.Schedule}\" is not a cron schedule ({invalid.Message}); write five fields, e.g. \"0 2 * * 6\"";
            return null;
        }

        var zone = Zone(window.TimeZone);
        if (zone is null)
        {
            problem = $"{field}.timeZone: \"{window.TimeZone}\" is not a known IANA time zone; write one such as Europe/Berlin, or leave it out for UTC";
            return null;
        }

        return new MaintenanceWindowSchedule.Recurring(window.Name, cron, zone, duration);
    }

    private static TimeZoneInfo? Zone(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception unknown) when (unknown is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    private static bool Time(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
