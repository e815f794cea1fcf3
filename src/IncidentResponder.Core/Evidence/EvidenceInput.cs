namespace IncidentResponder.Core.Evidence;

/// <summary>Everything the shell read for an incident's evidence, as read: unbounded and not yet redacted.</summary>
public sealed record EvidenceInput(
    string Incident,
    string Namespace,
    string TargetName,
    DateTimeOffset CollectedAt,
    TargetSnapshot? Snapshot,
    IReadOnlyList<RawLog> Logs,
    IReadOnlyList<EventSummary> Events,
    IReadOnlyList<RevisionEntry> Revisions,
    RevisionDiff? Diff);

/// <summary>One container log as the API server returned it, or why it did not.</summary>
public sealed record RawLog(string Pod, string Container, bool Previous, IReadOnlyList<string> Lines, string? Unavailable = null);
