using Cronos;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>
/// A CronJob's <c>schedule</c> (5 fields, or a macro such as <c>@hourly</c>) in its <c>timeZone</c> (UTC when unset,
/// as a kube-controller-manager running in UTC reads it), parsed with Cronos.
/// </summary>
public sealed class CronSchedule
{
    private readonly CronExpression _expression;
    private readonly TimeZoneInfo _zone;

    private CronSchedule(CronExpression expression, TimeZoneInfo zone)
    {
        _expression = expression;
        _zone = zone;
    }

    /// <summary>The schedule, or null with the reason when it cannot be parsed (the controller then reports it as an event).</summary>
    public static CronSchedule? TryParse(string schedule, string? timeZone, out string? error)
    {
        error = null;
        try
        {
            var zone = string.IsNullOrEmpty(timeZone) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(timeZone);
            return new CronSchedule(CronExpression.Parse(schedule.Trim(), CronFormat.Standard), zone);
        }
        catch (Exception invalid) when (invalid is CronFormatException or TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            error = invalid.Message;
            return null;
        }
    }

    /// <summary>The first time strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset? Next(DateTimeOffset after) => _expression.GetNextOccurrence(after, _zone, inclusive: false);

    /// <summary>
    /// The latest time in (<paramref name="earliest"/>, <paramref name="now"/>] and how many times fell in that window
    /// (past 100 upstream reports TooManyMissedTimes).
    /// </summary>
    public (DateTimeOffset? Latest, int Missed) MostRecent(DateTimeOffset earliest, DateTimeOffset now)
    {
        DateTimeOffset? latest = null;
        var count = 0;
        foreach (var time in _expression.GetOccurrences(earliest, now, _zone, fromInclusive: false, toInclusive: true))
        {
            latest = time;
            count++;
        }

        return (latest, count);
    }
}
