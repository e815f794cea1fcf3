using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.History;

/// <summary>
/// The identity of a timeline entry: a digest of its time, type and message, plus its rank among entries identical in
/// all three. The status never edits an entry, so the same entry gets the same key in every snapshot it appears in,
/// and in the in-process buffer of entries the status has trimmed: recording it again never duplicates it.
/// The "N earlier entries omitted" note is left out: it describes the trimmed status, and the history keeps them all.
/// </summary>
public static class TimelineKeys
{
    /// <summary>The entries with their keys, identical entries told apart by their order of appearance.</summary>
    public static IReadOnlyList<KeyedTimelineEntry> Keyed(IEnumerable<TimelineEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var keyed = new List<KeyedTimelineEntry>();
        foreach (var entry in entries.Where(e => !BoundedTimeline.IsOmittedNote(e)))
        {
            var content = Content(entry);
            var rank = seen.GetValueOrDefault(content);
            seen[content] = rank + 1;
            keyed.Add(new KeyedTimelineEntry(Digest(content + "\n" + rank.ToString(CultureInfo.InvariantCulture)), entry));
        }

        return keyed;
    }

    // Ticks in UTC: the exact instant the status carries, independent of the database's microsecond precision.
    private static string Content(TimelineEntry entry) =>
        string.Join('\n', ToUtc(entry.Time).Ticks.ToString(CultureInfo.InvariantCulture), entry.Type.ToString(), entry.Message);

    private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    internal static DateTime ToUtc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc), // the API's times are UTC (RFC 3339 with Z)
    };
}

/// <summary>A timeline entry and its stable key (see <see cref="TimelineKeys"/>).</summary>
public sealed record KeyedTimelineEntry(string Key, TimelineEntry Entry);
