using System.Globalization;
using System.Text.RegularExpressions;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Evidence;

namespace IncidentResponder.Core.Incidents;

/// <summary>
/// The timeline stays within the API's 100 entries without losing how the story began: when full, the oldest
/// entries go, the first Detected entry stays, and one note says how many were left out.
/// </summary>
public static partial class BoundedTimeline
{
    public const int MaxEntries = 100;

    [GeneratedRegex(@"^(\d+) earlier entries omitted$", RegexOptions.CultureInvariant)]
    private static partial Regex OmittedNote();

    /// <summary>Appends <paramref name="entry"/> to a copy of <paramref name="timeline"/>, bounded to <paramref name="max"/> entries.</summary>
    public static List<TimelineEntry> Append(IReadOnlyList<TimelineEntry>? timeline, TimelineEntry entry, int max = MaxEntries)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 3); // room for the first entry, the note and one more
        // Timeline messages quote the workload (Event notes, container messages, endpoint answers) and are kept in the
        // Incident's status, the post-mortem and the history store: masked here, at the one door they all pass.
        var redacted = new TimelineEntry { Time = entry.Time, Type = entry.Type, Message = SecretRedactor.Redact(entry.Message) };
        var entries = new List<TimelineEntry>(timeline ?? []) { redacted };
        if (entries.Count <= max)
        {
            return entries;
        }

        var head = entries.FindIndex(e => e.Type == TimelineEntryType.Detected);
        var first = head >= 0 ? entries[head] : null;
        var noteIndex = entries.FindIndex(e => IsOmittedNote(e));
        var omitted = noteIndex >= 0 ? OmittedCount(entries[noteIndex]) : 0;

        // Everything except the kept first entry and the note, oldest first; drop from its front until it fits.
        var rest = entries.Where((e, i) => i != head && i != noteIndex).ToList();
        var room = max - 1 - (first is null ? 0 : 1);
        var dropped = rest.Take(rest.Count - room).ToList();
        var kept = rest.Skip(dropped.Count).ToList();
        omitted += dropped.Count;

        var note = new TimelineEntry
        {
            Time = dropped.Count > 0 ? dropped[^1].Time : entries[noteIndex].Time,
            Type = TimelineEntryType.Note,
            Message = $"{omitted.ToString(CultureInfo.InvariantCulture)} earlier entries omitted",
        };
        var result = new List<TimelineEntry>(max);
        if (first is not null)
        {
            result.Add(first);
        }

        result.Add(note);
        result.AddRange(kept);
        return result;
    }

    public static bool IsOmittedNote(TimelineEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Type == TimelineEntryType.Note && OmittedNote().IsMatch(entry.Message);
    }

    private static int OmittedCount(TimelineEntry note) =>
        int.Parse(OmittedNote().Match(note.Message).Groups[1].Value, CultureInfo.InvariantCulture);
}
