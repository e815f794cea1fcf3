using k8s;

namespace IncidentResponder.History;

/// <summary>An Incident snapshot as the rows the history keeps: a pure mapping, so it is deterministic and testable.</summary>
public sealed record SnapshotRows(
    IncidentRow Incident,
    IReadOnlyList<ActionRow> Actions,
    IReadOnlyList<KeyedTimelineEntry> Timeline,
    IReadOnlyList<NotificationRow> Notifications,
    EvidenceRow? Evidence,
    string? PostmortemMarkdown)
{
    public static SnapshotRows From(IncidentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var incident = snapshot.Incident;
        var uid = incident.Metadata.Uid;
        if (string.IsNullOrEmpty(uid))
        {
            throw new ArgumentException($"Incident {incident.Metadata.NamespaceProperty}/{incident.Metadata.Name} has no uid: only stored objects can be recorded", nameof(snapshot));
        }

        // Enums are kept as the API serialises them (SEV-2, CrashLoop...), not as their C# names; nested lists and
        // records as their API JSON.
        var current = incident.Status;

        var row = new IncidentRow(
            Uid: uid,
            Namespace: incident.Metadata.NamespaceProperty ?? string.Empty,
            Name: incident.Metadata.Name,
            TargetKind: incident.Spec.TargetRef.Kind ?? "Deployment",
            TargetName: incident.Spec.TargetRef.Name,
            SignalType: EnumName(incident.Spec.Signal.Type),
            SignalReason: incident.Spec.Signal.Reason,
            SignalFingerprint: incident.Spec.Signal.Fingerprint,
            Severity: EnumName(current?.Severity ?? incident.Spec.Severity),
            Phase: current?.Phase is { } phase ? EnumName(phase) : null,
            Source: incident.Spec.Source is { } source ? EnumName(source) : null,
            Summary: incident.Spec.Summary,
            Runbook: incident.Spec.RunbookRef?.Name,
            Policy: incident.Spec.PolicyRef?.Name,
            CreatedAt: Utc(incident.Metadata.CreationTimestamp) ?? snapshot.RecordedAt,
            DetectedAt: Utc(current?.DetectedAt),
            OpenedAt: Utc(current?.OpenedAt),
            MitigatedAt: Utc(current?.MitigatedAt),
            ResolvedAt: Utc(current?.ResolvedAt),
            DeletedAt: Utc(incident.Metadata.DeletionTimestamp),
            TimeToDetect: current?.TimeToDetect,
            TimeToMitigate: current?.TimeToMitigate,
            SignalsJson: current?.Signals is { } signals ? KubernetesJson.Serialize(signals) : null,
            ChangeJson: current?.Change is { } change ? KubernetesJson.Serialize(change) : null);

        var actions = (current?.Actions ?? []).Select(a => new ActionRow(
            a.Step,
            a.Attempt ?? 1,
            EnumName(a.Type),
            EnumName(a.Phase),
            Utc(a.StartedAt),
            Utc(a.FinishedAt),
            a.Message,
            a.Details is { Count: > 0 } details ? KubernetesJson.Serialize(details) : null)).ToList();

        // The current status first, then what it has trimmed; a key seen in both is one entry.
        var timeline = TimelineKeys.Keyed(current?.Timeline ?? [])
            .Concat(snapshot.EarlierTimeline)
            .DistinctBy(e => e.Key, StringComparer.Ordinal)
            .ToList();

        // One record per target (the list's map key), stored whole as JSON so the record's other fields can grow freely.
        var notifications = (current?.Notifications ?? [])
            .Where(n => n.Target is not null)
            .Select(n => new NotificationRow(n.Target, Utc(n.LastSentAt), KubernetesJson.Serialize(n)))
            .DistinctBy(n => n.Target, StringComparer.Ordinal)
            .ToList();

        var evidence = snapshot.EvidenceMarkdown is null && snapshot.EvidenceJson is null
            ? null
            : new EvidenceRow(snapshot.EvidenceMarkdown, snapshot.EvidenceJson);

        return new SnapshotRows(row, actions, timeline, notifications, evidence, snapshot.PostmortemMarkdown);
    }

    private static string EnumName<T>(T value)
        where T : struct, Enum => KubernetesJson.Serialize(value).Trim('"');

    private static DateTimeOffset? Utc(DateTime? time) => time is { } t ? new DateTimeOffset(TimelineKeys.ToUtc(t)) : null;
}

public sealed record IncidentRow(
    string Uid,
    string Namespace,
    string Name,
    string TargetKind,
    string TargetName,
    string SignalType,
    string? SignalReason,
    string? SignalFingerprint,
    string Severity,
    string? Phase,
    string? Source,
    string? Summary,
    string? Runbook,
    string? Policy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DetectedAt,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? MitigatedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? DeletedAt,
    string? TimeToDetect,
    string? TimeToMitigate,
    string? SignalsJson,
    string? ChangeJson);

public sealed record ActionRow(
    string Step,
    int Attempt,
    string Type,
    string Phase,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Message,
    string? DetailsJson);

/// <summary>The delivery record of one notification target (status.notifications), as JSON.</summary>
public sealed record NotificationRow(string Target, DateTimeOffset? LastSentAt, string Json);

public sealed record EvidenceRow(string? Markdown, string? Json);
