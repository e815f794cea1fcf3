using System.Globalization;
using System.Text;
using IncidentResponder.Core.Time;
using IncidentResponder.History;

namespace IncidentResponder.Commands;

/// <summary>The <c>history</c> command's text: MTTD / MTTR per namespace and severity, then recent incidents, as tables.</summary>
internal static class HistoryReport
{
    public static string Render(IReadOnlyList<ResponseTimes> times, IReadOnlyList<IncidentSummary> recent, string? ns, DateTimeOffset since, DateTimeOffset until)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Response times from {Stamp(since)} to {Stamp(until)}, {(ns is null ? "all namespaces" : "namespace " + ns)}\n");
        if (times.Count == 0)
        {
            text.Append("No incidents recorded in this range.\n");
        }
        else
        {
            Table(text, ["NAMESPACE", "SEVERITY", "INCIDENTS", "MTTD AVG", "MTTD P50", "MTTD P90", "MTTR AVG", "MTTR P50", "MTTR P90", "RESTORED"],
                times.Select(t => new[]
                {
                    t.Namespace, t.Severity, Count(t.Incidents),
                    Duration(t.Detect.Average), Duration(t.Detect.P50), Duration(t.Detect.P90),
                    Duration(t.Restore.Average), Duration(t.Restore.P50), Duration(t.Restore.P90), Count(t.Restore.Count),
                }));
            text.Append("MTTD: signal detected → incident opened. MTTR: detected → verified mitigated (or resolved, when closed without one).\n");
        }

        text.Append('\n').Append("Recent incidents\n");
        if (recent.Count == 0)
        {
            text.Append("None.\n");
        }
        else
        {
            Table(text, ["NAMESPACE", "NAME", "TARGET", "SIGNAL", "SEVERITY", "PHASE", "DETECTED", "TTD", "TTR", "DELETED"],
                recent.Select(i => new[]
                {
                    i.Namespace, i.Name, i.TargetName, i.SignalType, i.Severity, i.Phase ?? "-",
                    i.DetectedAt is { } d ? Stamp(d) : "-",
                    Duration(i.OpenedAt - i.DetectedAt),
                    Duration((i.MitigatedAt ?? i.ResolvedAt) - i.DetectedAt),
                    i.DeletedAt is null ? "no" : "yes",
                }));
        }

        return text.ToString();
    }

    private static void Table(StringBuilder text, string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        var widths = header.Select((_, column) => all.Max(row => row[column].Length)).ToArray();
        foreach (var row in all)
        {
            text.Append(string.Join("  ", row.Select((cell, column) => column == row.Length - 1 ? cell : cell.PadRight(widths[column]))).TrimEnd()).Append('\n');
        }
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    // Tenths of a second are as precise as detection gets; Go's format (45s, 2m30s, 1h2m3s) reads like the status.
    private static string Duration(TimeSpan? value) =>
        value is { } d ? GoDuration.Format(TimeSpan.FromSeconds(Math.Round(d.TotalSeconds, 1))) : "-";

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
