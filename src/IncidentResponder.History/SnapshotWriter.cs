using Npgsql;
using NpgsqlTypes;

namespace IncidentResponder.History;

/// <summary>
/// Writes one snapshot's rows in one transaction, idempotently: each upsert changes a row only when a value differs
/// (<c>IS DISTINCT FROM</c>), timeline entries are insert-if-absent by key, and no row is ever
/// deleted. Recording the same snapshot twice therefore writes nothing the second time, and the count of changed rows
/// says so.
/// </summary>
internal static class SnapshotWriter
{
    private const string UpsertIncident = """
        INSERT INTO incidents AS i (uid, namespace, name, target_kind, target_name, signal_type, signal_reason,
            signal_fingerprint, severity, phase, source, summary, runbook, policy, created_at, detected_at, opened_at,
            mitigated_at, resolved_at, deleted_at, time_to_detect, time_to_mitigate, signals, change,
            first_recorded_at, updated_at)
        VALUES (@uid, @namespace, @name, @target_kind, @target_name, @signal_type, @signal_reason,
            @signal_fingerprint, @severity, @phase, @source, @summary, @runbook, @policy, @created_at, @detected_at,
            @opened_at, @mitigated_at, @resolved_at, @deleted_at, @time_to_detect, @time_to_mitigate, @signals, @change,
            @now, @now)
        ON CONFLICT (uid) DO UPDATE SET
            severity = EXCLUDED.severity, phase = EXCLUDED.phase, summary = EXCLUDED.summary,
            runbook = EXCLUDED.runbook, policy = EXCLUDED.policy,
            detected_at = EXCLUDED.detected_at, opened_at = EXCLUDED.opened_at,
            mitigated_at = EXCLUDED.mitigated_at, resolved_at = EXCLUDED.resolved_at,
            deleted_at = coalesce(i.deleted_at, EXCLUDED.deleted_at),
            time_to_detect = EXCLUDED.time_to_detect, time_to_mitigate = EXCLUDED.time_to_mitigate,
            signals = EXCLUDED.signals, change = EXCLUDED.change, updated_at = EXCLUDED.updated_at
        WHERE (i.severity, i.phase, i.summary, i.runbook, i.policy, i.detected_at, i.opened_at, i.mitigated_at,
               i.resolved_at, i.deleted_at, i.time_to_detect, i.time_to_mitigate, i.signals, i.change)
            IS DISTINCT FROM
              (EXCLUDED.severity, EXCLUDED.phase, EXCLUDED.summary, EXCLUDED.runbook, EXCLUDED.policy,
               EXCLUDED.detected_at, EXCLUDED.opened_at, EXCLUDED.mitigated_at, EXCLUDED.resolved_at,
               coalesce(i.deleted_at, EXCLUDED.deleted_at), EXCLUDED.time_to_detect, EXCLUDED.time_to_mitigate,
               EXCLUDED.signals, EXCLUDED.change)
        """;

    private const string UpsertAction = """
        INSERT INTO actions AS a (incident_uid, step, attempt, type, phase, started_at, finished_at, message, details, updated_at)
        VALUES (@uid, @step, @attempt, @type, @phase, @started_at, @finished_at, @message, @details, @now)
        ON CONFLICT (incident_uid, step, attempt) DO UPDATE SET
            type = EXCLUDED.type, phase = EXCLUDED.phase, started_at = EXCLUDED.started_at,
            finished_at = EXCLUDED.finished_at, message = EXCLUDED.message, details = EXCLUDED.details,
            updated_at = EXCLUDED.updated_at
        WHERE (a.type, a.phase, a.started_at, a.finished_at, a.message, a.details)
            IS DISTINCT FROM (EXCLUDED.type, EXCLUDED.phase, EXCLUDED.started_at, EXCLUDED.finished_at, EXCLUDED.message, EXCLUDED.details)
        """;

    private const string InsertTimeline = """
        INSERT INTO timeline_entries (incident_uid, entry_key, time, type, message)
        SELECT @uid, e.entry_key, e.time, e.type, e.message
        FROM unnest(@keys, @times, @types, @messages) AS e (entry_key, time, type, message)
        ON CONFLICT (incident_uid, entry_key) DO NOTHING
        """;

    private const string UpsertNotifications = """
        INSERT INTO notifications AS n (incident_uid, target, last_sent_at, record, updated_at)
        SELECT @uid, r.target, r.last_sent_at, r.record::jsonb, @now
        FROM unnest(@targets, @times, @records) AS r (target, last_sent_at, record)
        ON CONFLICT (incident_uid, target) DO UPDATE SET
            last_sent_at = EXCLUDED.last_sent_at, record = EXCLUDED.record, updated_at = EXCLUDED.updated_at
        WHERE (n.last_sent_at, n.record) IS DISTINCT FROM (EXCLUDED.last_sent_at, EXCLUDED.record)
        """;

    private const string UpsertEvidence = """
        INSERT INTO evidence AS e (incident_uid, markdown, document, updated_at) VALUES (@uid, @markdown, @document, @now)
        ON CONFLICT (incident_uid) DO UPDATE SET markdown = EXCLUDED.markdown, document = EXCLUDED.document, updated_at = EXCLUDED.updated_at
        WHERE (e.markdown, e.document) IS DISTINCT FROM (EXCLUDED.markdown, EXCLUDED.document)
        """;

    private const string UpsertPostmortem = """
        INSERT INTO postmortems AS p (incident_uid, markdown, updated_at) VALUES (@uid, @markdown, @now)
        ON CONFLICT (incident_uid) DO UPDATE SET markdown = EXCLUDED.markdown, updated_at = EXCLUDED.updated_at
        WHERE p.markdown IS DISTINCT FROM EXCLUDED.markdown
        """;

    /// <summary>Writes the rows; returns how many rows were inserted or changed (0: the history already had it all).</summary>
    public static async Task<long> WriteAsync(NpgsqlDataSource dataSource, SnapshotRows rows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var uid = rows.Incident.Uid;

        batch.BatchCommands.Add(IncidentCommand(rows.Incident, now));
        foreach (var action in rows.Actions)
        {
            batch.BatchCommands.Add(ActionCommand(uid, action, now));
        }

        if (rows.Timeline.Count > 0)
        {
            batch.BatchCommands.Add(Command(InsertTimeline,
                ("uid", uid, null),
                ("keys", rows.Timeline.Select(e => e.Key).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
                ("times", rows.Timeline.Select(e => new DateTimeOffset(TimelineKeys.ToUtc(e.Entry.Time))).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz),
                ("types", rows.Timeline.Select(e => e.Entry.Type.ToString()).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
                ("messages", rows.Timeline.Select(e => e.Entry.Message).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)));
        }

        if (rows.Notifications.Count > 0)
        {
            batch.BatchCommands.Add(Command(UpsertNotifications,
                ("uid", uid, null),
                ("targets", rows.Notifications.Select(n => n.Target).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
                ("times", rows.Notifications.Select(n => n.LastSentAt).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz),
                ("records", rows.Notifications.Select(n => n.Json).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
                ("now", now, null)));
        }

        if (rows.Evidence is { } evidence)
        {
            batch.BatchCommands.Add(Command(UpsertEvidence, ("uid", uid, null), ("markdown", evidence.Markdown, NpgsqlDbType.Text),
                ("document", evidence.Json, NpgsqlDbType.Text), ("now", now, null)));
        }

        if (rows.PostmortemMarkdown is { } postmortem)
        {
            batch.BatchCommands.Add(Command(UpsertPostmortem, ("uid", uid, null), ("markdown", postmortem, null), ("now", now, null)));
        }

        // The rows every statement inserted or changed, together: an upsert whose WHERE found nothing different counts 0.
        long changed = await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed;
    }

    private static NpgsqlBatchCommand IncidentCommand(IncidentRow row, DateTimeOffset now) => Command(UpsertIncident,
        ("uid", row.Uid, null), ("namespace", row.Namespace, null), ("name", row.Name, null),
        ("target_kind", row.TargetKind, null), ("target_name", row.TargetName, null), ("signal_type", row.SignalType, null),
        ("signal_reason", row.SignalReason, NpgsqlDbType.Text), ("signal_fingerprint", row.SignalFingerprint, NpgsqlDbType.Text),
        ("severity", row.Severity, null), ("phase", row.Phase, NpgsqlDbType.Text), ("source", row.Source, NpgsqlDbType.Text),
        ("summary", row.Summary, NpgsqlDbType.Text), ("runbook", row.Runbook, NpgsqlDbType.Text), ("policy", row.Policy, NpgsqlDbType.Text),
        ("created_at", row.CreatedAt, null), ("detected_at", row.DetectedAt, NpgsqlDbType.TimestampTz),
        ("opened_at", row.OpenedAt, NpgsqlDbType.TimestampTz), ("mitigated_at", row.MitigatedAt, NpgsqlDbType.TimestampTz),
        ("resolved_at", row.ResolvedAt, NpgsqlDbType.TimestampTz), ("deleted_at", row.DeletedAt, NpgsqlDbType.TimestampTz),
        ("time_to_detect", row.TimeToDetect, NpgsqlDbType.Text), ("time_to_mitigate", row.TimeToMitigate, NpgsqlDbType.Text),
        ("signals", row.SignalsJson, NpgsqlDbType.Jsonb), ("change", row.ChangeJson, NpgsqlDbType.Jsonb), ("now", now, null));

    private static NpgsqlBatchCommand ActionCommand(string uid, ActionRow action, DateTimeOffset now) => Command(UpsertAction,
        ("uid", uid, null), ("step", action.Step, null), ("attempt", action.Attempt, null), ("type", action.Type, null),
        ("phase", action.Phase, null), ("started_at", action.StartedAt, NpgsqlDbType.TimestampTz),
        ("finished_at", action.FinishedAt, NpgsqlDbType.TimestampTz), ("message", action.Message, NpgsqlDbType.Text),
        ("details", action.DetailsJson, NpgsqlDbType.Jsonb), ("now", now, null));

    /// <summary>A command with named parameters; a type is given where the value may be null (and for arrays).</summary>
    private static NpgsqlBatchCommand Command(string sql, params (string Name, object? Value, NpgsqlDbType? Type)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value, type) in parameters)
        {
            var parameter = type is { } dbType ? new NpgsqlParameter(name, dbType) : new NpgsqlParameter { ParameterName = name };
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
