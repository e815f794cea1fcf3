using System.Globalization;
using System.Text.Json.Nodes;
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

        // Enum names exactly as the API serialises them (SEV-2, CrashLoop...), and the status fields this build of the
        // Api types may not know yet (notifications), are read from the object's JSON.
        var json = JsonNode.Parse(KubernetesJson.Serialize(incident))!.AsObject();
        var spec = json["spec"]!.AsObject();
        var status = json["status"] as JsonObject;
        var current = incident.Status;

        var row = new IncidentRow(
            Uid: uid,
            Namespace: incident.Metadata.NamespaceProperty ?? string.Empty,
            Name: incident.Metadata.Name,
            TargetKind: incident.Spec.TargetRef.Kind ?? "Deployment",
            TargetName: incident.Spec.TargetRef.Name,
            SignalType: Text(spec["signal"]?["type"]) ?? incident.Spec.Signal.Type.ToString(),
            SignalReason: incident.Spec.Signal.Reason,
            SignalFingerprint: incident.Spec.Signal.Fingerprint,
            Severity: Text(status?["severity"]) ?? Text(spec["severity"]) ?? incident.Spec.Severity.ToString(),
            Phase: Text(status?["phase"]),
            Source: Text(spec["source"]),
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
            SignalsJson: status?["signals"]?.ToJsonString(),
            ChangeJson: status?["change"]?.ToJsonString());

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

        // One record per target (the list's map key), read as JSON so the record's other fields can grow freely.
        var notifications = (status?["notifications"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(n => Text(n["target"]) is not null)
            .Select(n => new NotificationRow(Text(n["target"])!, Time(Text(n["lastSentAt"])), n.ToJsonString()))
            .DistinctBy(n => n.Target, StringComparer.Ordinal)
            .ToList();

        var evidence = snapshot.EvidenceMarkdown is null && snapshot.EvidenceJson is null
            ? null
            : new EvidenceRow(snapshot.EvidenceMarkdown, snapshot.EvidenceJson);

        return new SnapshotRows(row, actions, timeline, notifications, evidence, snapshot.PostmortemMarkdown);
    }

    private static string EnumName<T>(T value)
        where T : struct, Enum => KubernetesJson.Serialize(value).Trim('"');

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static DateTimeOffset? Utc(DateTime? time) => time is { } t ? new DateTimeOffset(TimelineKeys.ToUtc(t)) : null;

    private static DateTimeOffset? Time(string? rfc3339) =>
        rfc3339 is not null && DateTimeOffset.TryParse(rfc3339, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
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
