namespace IncidentResponder.History;

/// <summary>One incident as a line of "recent incidents".</summary>
public sealed record IncidentSummary(
    string Uid,
    string Namespace,
    string Name,
    string TargetName,
    string SignalType,
    string Severity,
    string? Phase,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DetectedAt,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? MitigatedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? DeletedAt);

/// <summary>Everything the history holds about one incident.</summary>
public sealed record IncidentHistoryRecord(
    IncidentSummary Incident,
    IReadOnlyList<ActionRow> Actions,
    IReadOnlyList<HistoryTimelineEntry> Timeline,
    IReadOnlyList<NotificationRow> Notifications,
    EvidenceRow? Evidence,
    string? PostmortemMarkdown);

/// <summary>A timeline entry as stored (type as its name).</summary>
public sealed record HistoryTimelineEntry(DateTimeOffset Time, string Type, string Message);
