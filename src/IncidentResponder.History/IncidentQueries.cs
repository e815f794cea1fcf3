using Npgsql;
using NpgsqlTypes;

namespace IncidentResponder.History;

/// <summary>Reads of the history: recent incidents, one incident's whole record, the latest post-mortem of a name.</summary>
internal static class IncidentQueries
{
    private const string SummaryColumns = """
        uid, namespace, name, target_name, signal_type, severity, phase, created_at, detected_at, opened_at,
        mitigated_at, resolved_at, deleted_at
        """;

    public static async Task<IReadOnlyList<IncidentSummary>> RecentAsync(
        NpgsqlDataSource dataSource, string? ns, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {SummaryColumns} FROM incidents
            WHERE coalesce(detected_at, opened_at, created_at) >= @since
              AND (@namespace::text IS NULL OR namespace = @namespace::text)
            ORDER BY coalesce(detected_at, opened_at, created_at) DESC, uid
            LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.TimestampTz) { Value = since.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter("namespace", NpgsqlDbType.Text) { Value = (object?)ns ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);
        return await ReadAllAsync(command, Summary, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<IncidentHistoryRecord?> RecordAsync(NpgsqlDataSource dataSource, string uid, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One snapshot of the database for all five reads, so a concurrent write cannot show half a record.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);

        var summaries = await ReadAllAsync(Command(connection, $"SELECT {SummaryColumns} FROM incidents WHERE uid = @uid", uid), Summary, cancellationToken).ConfigureAwait(false);
        if (summaries.Count == 0)
        {
            return null;
        }

        var actions = await ReadAllAsync(Command(connection, """
            SELECT step, attempt, type, phase, started_at, finished_at, message, details::text
            FROM actions WHERE incident_uid = @uid ORDER BY coalesce(started_at, updated_at), step, attempt
            """, uid), r => new ActionRow(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetString(3), Time(r, 4), Time(r, 5),
            Text(r, 6), Text(r, 7)), cancellationToken).ConfigureAwait(false);
        var timeline = await ReadAllAsync(Command(connection,
            "SELECT time, type, message FROM timeline_entries WHERE incident_uid = @uid ORDER BY time, entry_key", uid),
            r => new HistoryTimelineEntry(r.GetFieldValue<DateTimeOffset>(0), r.GetString(1), r.GetString(2)), cancellationToken).ConfigureAwait(false);
        var notifications = await ReadAllAsync(Command(connection,
            "SELECT target, last_sent_at, record::text FROM notifications WHERE incident_uid = @uid ORDER BY target", uid),
            r => new NotificationRow(r.GetString(0), Time(r, 1), r.GetString(2)), cancellationToken).ConfigureAwait(false);
        var evidence = await ReadAllAsync(Command(connection, "SELECT markdown, document FROM evidence WHERE incident_uid = @uid", uid),
            r => new EvidenceRow(Text(r, 0), Text(r, 1)), cancellationToken).ConfigureAwait(false);
        var postmortem = await ReadAllAsync(Command(connection, "SELECT markdown FROM postmortems WHERE incident_uid = @uid", uid),
            r => r.GetString(0), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new IncidentHistoryRecord(summaries[0], actions, timeline, notifications, evidence.FirstOrDefault(), postmortem.FirstOrDefault());
    }

    /// <summary>The uid of the latest incident (by creation) named <paramref name="name"/> in <paramref name="ns"/>.</summary>
    public static async Task<string?> LatestUidAsync(NpgsqlDataSource dataSource, string ns, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT uid FROM incidents WHERE namespace = @namespace AND name = @name ORDER BY created_at DESC, first_recorded_at DESC LIMIT 1");
        command.Parameters.AddWithValue("namespace", ns);
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>The post-mortem of the latest incident named so that has one.</summary>
    public static async Task<string?> PostmortemAsync(NpgsqlDataSource dataSource, string ns, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT p.markdown FROM postmortems p JOIN incidents i ON i.uid = p.incident_uid
            WHERE i.namespace = @namespace AND i.name = @name
            ORDER BY i.created_at DESC, i.first_recorded_at DESC LIMIT 1
            """);
        command.Parameters.AddWithValue("namespace", ns);
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, string uid)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("uid", uid);
        return command;
    }

    private static async Task<List<T>> ReadAllAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(read(reader));
            }

            return rows;
        }
    }

    private static IncidentSummary Summary(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Text(r, 6),
        r.GetFieldValue<DateTimeOffset>(7), Time(r, 8), Time(r, 9), Time(r, 10), Time(r, 11), Time(r, 12));

    private static string? Text(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static DateTimeOffset? Time(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetFieldValue<DateTimeOffset>(ordinal);
}
