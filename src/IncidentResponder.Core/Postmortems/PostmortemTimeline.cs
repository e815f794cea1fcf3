using System.Globalization;
using System.Text;
using IncidentResponder.Core.Evidence;

namespace IncidentResponder.Core.Postmortems;

/// <summary>
/// The post-mortem's "Timeline (all times UTC)": the Incident's own timeline merged with the Kubernetes Warning Events the
/// evidence captured (BackOff, Failed, Unhealthy...), oldest first, then the same story as a Mermaid Gantt chart.
/// </summary>
public static class PostmortemTimeline
{
    public const int MaxEventRows = 10;

    public sealed record Row(DateTimeOffset Time, string Source, string Text);

    public static IReadOnlyList<Row> Rows(PostmortemFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var rows = facts.Timeline
            .Select(e => new Row(new DateTimeOffset(DateTime.SpecifyKind(e.Time, DateTimeKind.Utc)), e.Type.ToString(), e.Message))
            .ToList();
        if (facts.Evidence is { } evidence)
        {
            rows.AddRange(evidence.Events
                .Where(e => e.Type == "Warning" && (e.LastSeen ?? e.FirstSeen) is not null)
                .OrderByDescending(e => e.LastSeen ?? e.FirstSeen)
                .Take(MaxEventRows)
                .Select(e => new Row((e.FirstSeen ?? e.LastSeen)!.Value, "Event",
                    string.Create(CultureInfo.InvariantCulture, $"{e.Reason} on {e.ObjectKind}/{e.ObjectName}{(e.Count > 1 ? $" (×{e.Count})" : string.Empty)}: {e.Message}"))));
        }

        // Stable: entries at the same instant keep the record's order, the record before the Events.
        return [.. rows.Select((row, index) => (row, index)).OrderBy(x => x.row.Time).ThenBy(x => x.index).Select(x => x.row)];
    }

    public static void Write(StringBuilder md, PostmortemFacts facts)
    {
        ArgumentNullException.ThrowIfNull(md);
        md.Append("## Timeline (all times UTC)\n\n| Time | Source | Event |\n|-------|--------|-------|\n");
        foreach (var row in Rows(facts))
        {
            md.Append(CultureInfo.InvariantCulture, $"| {MarkdownText.Time(row.Time)} | {row.Source} | {MarkdownText.Cell(row.Text)} |\n");
        }

        md.Append('\n');
        PostmortemGantt.Write(md, facts);
    }
}
