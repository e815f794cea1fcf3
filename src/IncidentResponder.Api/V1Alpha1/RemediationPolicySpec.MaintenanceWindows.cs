using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using IncidentResponder.Api.Schema;

namespace IncidentResponder.Api.V1Alpha1;

public sealed partial class RemediationPolicySpec
{
    [MaxLength(20), ListMapKeys("name")]
    [Description("Times of planned work. While one is open, Automatic steps run as dry runs (recorded, nothing changed) and PagerDuty is not paged; chat targets still hear everything. When it closes, a held step is decided again.")]
    public List<MaintenanceWindow>? MaintenanceWindows { get; set; }
}

/// <summary>
/// A recurring window (a cron schedule and how long each opening lasts) or a one-off window (start and end).
/// timeZone has no schema default: it belongs to recurring windows only, and a default would land on one-off ones too.
/// </summary>
[CelRule("has(self.schedule) != has(self.start)",
    "set exactly one of 'schedule' (a recurring window, with 'duration') or 'start' (a one-off window, with 'end')")]
[CelRule("!has(self.schedule) || has(self.duration)",
    "a recurring window needs 'duration', how long it stays open each time the schedule fires", FieldPath = ".duration", Reason = "FieldValueRequired")]
[CelRule("!has(self.start) || has(self.end)", "a one-off window needs 'end'", FieldPath = ".end", Reason = "FieldValueRequired")]
[CelRule("!has(self.end) || has(self.start)", "'end' belongs to a one-off window with 'start'", FieldPath = ".end")]
[CelRule("!has(self.duration) && !has(self.timeZone) || has(self.schedule)",
    "'duration' and 'timeZone' belong to a recurring window with a 'schedule'")]
[CelRule("!has(self.start) || !has(self.end) || timestamp(self.end) > timestamp(self.start)", "'end' must be after 'start'", FieldPath = ".end")]
[CelRule("!has(self.duration) || duration(self.duration) <= duration('168h')",
    "a window's duration is at most 168h (one week); a longer freeze is a one-off window with start and end", FieldPath = ".duration")]
public sealed class MaintenanceWindow
{
    /// <summary>The policy's Ready condition's reason when a window's schedule or time zone cannot be read.</summary>
    public const string InvalidReason = "InvalidMaintenanceWindow";

    // start and end are strings with an RFC 3339 pattern rather than format: date-time: CEL rules then compare them with
    // timestamp(), and has() tests their presence in every CEL implementation (the simulator's cannot apply has() to
    // a field it reads as a timestamp).
    private const string Rfc3339 = @"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$";

    [Required, DnsLabel]
    [Description("Name of the window, unique in the policy; the incident's timeline names the window that held a step.")]
    public string Name { get; set; } = string.Empty;

    // Five fields (minute hour day-of-month month day-of-week) or a macro; the operator parses it and reports one it
    // cannot in the policy's Ready condition.
    [MaxLength(100), RegularExpression(@"^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|\S+( +\S+){4})$")]
    [Description("When a recurring window opens: a 5-field cron schedule (minute hour day-of-month month day-of-week, e.g. '0 2 * * 6' for Saturdays at 02:00) or a macro such as @daily, read in timeZone.")]
    public string? Schedule { get; set; }

    [Duration]
    [Description("How long a recurring window stays open each time its schedule fires (elapsed time, e.g. 2h), at most 168h.")]
    public string? Duration { get; set; }

    [MaxLength(64)]
    [Description("IANA time zone the schedule is read in (e.g. Europe/Berlin); UTC when absent. Daylight saving time is followed.")]
    public string? TimeZone { get; set; }

    [MaxLength(64), RegularExpression(Rfc3339)]
    [Description("When a one-off window opens (RFC 3339, e.g. 2026-12-24T18:00:00Z).")]
    public string? Start { get; set; }

    [MaxLength(64), RegularExpression(Rfc3339)]
    [Description("When a one-off window closes (RFC 3339); after start.")]
    public string? End { get; set; }
}
