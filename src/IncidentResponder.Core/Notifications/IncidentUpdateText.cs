using System.Globalization;

namespace IncidentResponder.Core.Notifications;

/// <summary>One labelled line of an update, e.g. ("What", "API returning 503 errors").</summary>
public sealed record UpdateField(string Label, string Value);

/// <summary>
/// The words of an update, shared by every sender: the playbook's update template fields in its order (What, Impact, Since,
/// Acting, Next update), with the phase and what changed for later updates.
/// </summary>
public static class IncidentUpdateText
{
    public static IReadOnlyList<UpdateField> Fields(IncidentUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var fields = new List<UpdateField>
        {
            new("What", update.What),
            new("Impact", update.Impact),
            new("Since", $"{Clock(update.Since)} (detected by {update.DetectedBy})"),
            new(update.Phase switch
            {
                Api.V1Alpha1.IncidentPhase.Escalated => "Handed to",
                Api.V1Alpha1.IncidentPhase.Acknowledged => "Held by",
                _ => "Acting",
            }, update.Acting),
        };
        if (update.Kind != UpdateKind.Declared)
        {
            fields.Add(new UpdateField("Phase", update.Phase.ToString()));
        }

        if (update.Kind != UpdateKind.Declared || update.Changes.Count > 1)
        {
            fields.Add(new UpdateField("Changed", update.Changes.Count == 0 ? "nothing since the last update" : string.Join("\n", update.Changes)));
        }

        fields.Add(new UpdateField("Next update", NextUpdate(update)));
        return fields;
    }

    /// <summary>"14:45 UTC (15 minutes)", or why no update is scheduled.</summary>
    public static string NextUpdate(IncidentUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.NextUpdateAt is { } next && update.Cadence is { } cadence)
        {
            return $"{Clock(next)} ({Minutes(cadence)})";
        }

        return update.Phase switch
        {
            Api.V1Alpha1.IncidentPhase.Resolved => "none: the incident is resolved",
            Api.V1Alpha1.IncidentPhase.Cancelled => "none: the incident is cancelled",
            Api.V1Alpha1.IncidentPhase.Escalated => "from the people it was handed to",
            _ => "on the next change",
        };
    }

    /// <summary>The update as plain text: headline, then one "Label: value" line per field.</summary>
    public static string Plain(IncidentUpdate update) =>
        update.Headline + "\n\n" + string.Join("\n", Fields(update).Select(f => $"{f.Label}: {f.Value}"));

    /// <summary>"14:23 UTC", as the playbook's updates write times.</summary>
    public static string Clock(DateTimeOffset time) => time.UtcDateTime.ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Minutes(TimeSpan cadence) => cadence.TotalMinutes >= 1 && cadence.TotalMinutes == Math.Floor(cadence.TotalMinutes)
        ? (cadence.TotalMinutes == 1 ? "1 minute" : $"{cadence.TotalMinutes.ToString(CultureInfo.InvariantCulture)} minutes")
        : $"{cadence.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds";
}
