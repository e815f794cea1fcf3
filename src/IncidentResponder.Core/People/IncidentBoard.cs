using System.Globalization;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Core.People;

/// <summary>
/// The board people look at first in an incident: every incident, worst first and, among equals, the oldest first
/// (the one waiting longest), with who holds it. Pure: the caller lists the incidents and passes the time.
/// </summary>
public static class IncidentBoard
{
    /// <summary>What the board shows for an incident nobody holds: the operator's runbook is running it.</summary>
    public const string Automation = "automation";

    public static IReadOnlyList<BoardRow> Rows(IEnumerable<Incident> incidents, DateTime now) =>
    [
        .. incidents
            .Select(i => (Incident: i, Severity: CurrentSeverity(i)))
            .OrderBy(i => (int)i.Severity)
            .ThenBy(i => i.Incident.Metadata?.CreationTimestamp ?? DateTime.MaxValue)
            .ThenBy(i => i.Incident.Metadata?.NamespaceProperty, StringComparer.Ordinal)
            .ThenBy(i => i.Incident.Metadata?.Name, StringComparer.Ordinal)
            .Select(i => new BoardRow(
                i.Incident.Metadata?.NamespaceProperty ?? string.Empty,
                i.Incident.Metadata?.Name ?? string.Empty,
                SeverityNames.Name(i.Severity),
                i.Incident.Status?.Phase?.ToString() ?? string.Empty,
                i.Incident.Spec.TargetRef.Name,
                i.Incident.Spec.Signal.Type.ToString(),
                i.Incident.Status?.People?.HeldBy ?? Automation,
                i.Incident.Metadata?.CreationTimestamp is { } created ? Age(now - created) : string.Empty)),
    ];

    /// <summary>The operator's current grading; before it has graded, a person's re-grade, else the declared severity.</summary>
    public static Severity CurrentSeverity(Incident incident) =>
        incident.Status?.Severity ?? incident.Spec.Regrade?.Severity ?? incident.Spec.Severity;

    /// <summary>An age as kubectl prints one: the largest whole unit (45s, 12m, 5h, 3d).</summary>
    public static string Age(TimeSpan age)
    {
        var span = age < TimeSpan.Zero ? TimeSpan.Zero : age;
        return span.TotalSeconds < 60 ? Whole(span.TotalSeconds, "s")
            : span.TotalMinutes < 60 ? Whole(span.TotalMinutes, "m")
            : span.TotalHours < 24 ? Whole(span.TotalHours, "h")
            : Whole(span.TotalDays, "d");
    }

    private static string Whole(double value, string unit) =>
        ((long)Math.Floor(value)).ToString(CultureInfo.InvariantCulture) + unit;
}

/// <summary>One line of the board.</summary>
public sealed record BoardRow(string Namespace, string Name, string Severity, string Phase, string Target, string Signal, string HeldBy, string Age);
