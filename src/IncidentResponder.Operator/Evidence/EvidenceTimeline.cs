using System.Globalization;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Evidence;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Operator.Evidence;

/// <summary>
/// The one timeline entry that says evidence was collected, and where it is. Its prefix tells it apart from the
/// Evidence entry triage writes for the revision diff, and marks the incident's evidence as done.
/// </summary>
public static class EvidenceTimeline
{
    public const string Prefix = "Evidence collected";

    public static bool Recorded(IncidentStatus? status) =>
        status?.Timeline?.Any(e => e.Type == TimelineEntryType.Evidence && e.Message.StartsWith(Prefix, StringComparison.Ordinal)) == true;

    /// <summary>The timeline lost its oldest entries; a missing entry no longer means evidence was never collected.</summary>
    public static bool Truncated(IncidentStatus? status) => status?.Timeline?.Any(BoundedTimeline.IsOmittedNote) == true;

    public static string Message(EvidenceBundle bundle, string configMap)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var pods = bundle.Logs.Select(l => l.Pod).Distinct(StringComparer.Ordinal).Count();
        var errors = bundle.Errors.Count == 0 ? "no error lines" : string.Join(", ", bundle.Errors.Select(e => $"{e.Count} {e.Pattern}"));
        var warnings = bundle.Events.Count(e => e.Type == "Warning");
        return string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}: {bundle.Logs.Count(l => l.Lines.Count > 0)} logs from {pods} pods ({errors}), {bundle.Events.Count} events ({warnings} warnings), {bundle.Rollout.Count} revisions; see ConfigMap {configMap}");
    }

    /// <summary>Idempotent: appending to a status that already has the entry changes nothing (safe to re-run after a 409).</summary>
    public static void Append(Incident incident, string message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incident);
        incident.Status ??= new IncidentStatus();
        if (Recorded(incident.Status))
        {
            return;
        }

        incident.Status.Timeline = BoundedTimeline.Append(incident.Status.Timeline,
            new TimelineEntry { Time = now.UtcDateTime, Type = TimelineEntryType.Evidence, Message = ActionRecords.Truncate(message) });
    }
}
