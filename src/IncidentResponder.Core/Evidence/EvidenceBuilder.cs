using System.Globalization;

namespace IncidentResponder.Core.Evidence;

/// <summary>
/// Turns what the shell read into the bundle that is stored: every line cut, redacted, counted and bounded, so nothing
/// that leaves this function can carry a secret-looking value or outgrow a ConfigMap.
/// </summary>
public static class EvidenceBuilder
{
    public static EvidenceBundle Build(EvidenceInput input, EvidenceLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        limits ??= EvidenceLimits.Default;
        var notes = new List<string>();

        var redactedLogs = input.Logs
            .Select(log => log with { Lines = SecretRedactor.RedactLines([.. log.Lines.TakeLast(limits.MaxLinesRead).Select(l => TextBounds.Cut(l, limits.MaxLineLength))]) })
            .ToList();
        var errors = ErrorPatterns.Count(redactedLogs.SelectMany(l => l.Lines));
        var excerpts = BoundLogs(redactedLogs, limits, notes);

        var events = input.Events
            .OrderByDescending(e => e.LastSeen ?? e.FirstSeen ?? DateTimeOffset.MinValue)
            .ThenBy(e => e.ObjectName, StringComparer.Ordinal)
            .ThenBy(e => e.Reason, StringComparer.Ordinal)
            .Take(limits.MaxEvents)
            .Select(e => e with { Message = TextBounds.Cut(SecretRedactor.Redact(e.Message), limits.MaxMessageLength) })
            .ToList();
        if (input.Events.Count > events.Count)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{input.Events.Count - events.Count} older events left out"));
        }

        var revisions = input.Revisions.OrderByDescending(r => r.Revision).Take(limits.MaxRevisions).ToList();
        var diff = input.Diff is { } d ? d with { Differences = [.. d.Differences.Select(SecretRedactor.Redact)] } : null;
        return new EvidenceBundle(input.Incident, input.Namespace, input.TargetName, input.CollectedAt, input.Snapshot,
            excerpts, errors, events, revisions, diff, notes);
    }

    /// <summary>Each excerpt within its section limit, all of them within the log budget; what does not fit is named in a note.</summary>
    private static List<LogExcerpt> BoundLogs(IReadOnlyList<RawLog> logs, EvidenceLimits limits, List<string> notes)
    {
        var excerpts = new List<LogExcerpt>();
        var remaining = limits.MaxLogBytes;
        foreach (var log in logs)
        {
            var budget = Math.Min(limits.MaxBytesPerSection, remaining);
            var (lines, omitted) = TextBounds.Tail(log.Lines, limits.MaxLinesPerLog, budget);
            if (lines.Count == 0 && log.Lines.Count > 0)
            {
                notes.Add($"log of {log.Pod}/{log.Container}{(log.Previous ? " (previous)" : string.Empty)} left out: evidence size limit reached");
                continue;
            }

            remaining -= TextBounds.Bytes(lines);
            excerpts.Add(new LogExcerpt(log.Pod, log.Container, log.Previous, lines, omitted, log.Unavailable is { } why ? SecretRedactor.Redact(why) : null));
        }

        return excerpts;
    }
}
