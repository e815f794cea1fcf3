using Npgsql;
using NpgsqlTypes;

namespace IncidentResponder.History;

/// <summary>MTTD and MTTR per namespace and severity (see <see cref="ResponseTimes"/> for the definitions).</summary>
internal static class ResponseTimeQuery
{
    // An incident belongs to the range by when its signal became visible (or, lacking that, when it was opened or
    // created). Aggregates skip NULLs, so each figure covers exactly the incidents that have both ends.
    private const string Sql = """
        WITH durations AS (
            SELECT namespace, severity,
                   extract(epoch FROM opened_at - detected_at)::float8 AS detect,
                   extract(epoch FROM coalesce(mitigated_at, resolved_at) - detected_at)::float8 AS restore
            FROM incidents
            WHERE coalesce(detected_at, opened_at, created_at) >= @since
              AND coalesce(detected_at, opened_at, created_at) < @until
              AND (@namespace::text IS NULL OR namespace = @namespace::text)
        )
        SELECT namespace, severity, count(*)::int,
               count(detect)::int, avg(detect),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY detect),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY detect),
               count(restore)::int, avg(restore),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY restore),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY restore)
        FROM durations
        GROUP BY namespace, severity
        ORDER BY namespace, severity
        """;

    public static async Task<IReadOnlyList<ResponseTimes>> RunAsync(
        NpgsqlDataSource dataSource, string? ns, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.TimestampTz) { Value = since.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter("until", NpgsqlDbType.TimestampTz) { Value = until.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter("namespace", NpgsqlDbType.Text) { Value = (object?)ns ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<ResponseTimes>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            results.Add(new ResponseTimes(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt32(2),
                Stats(reader, 3),
                Stats(reader, 7)));
        }

        return results;
    }

    private static DurationStats Stats(NpgsqlDataReader reader, int first) => new(
        reader.GetInt32(first), Seconds(reader, first + 1), Seconds(reader, first + 2), Seconds(reader, first + 3));

    private static TimeSpan? Seconds(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : TimeSpan.FromSeconds(reader.GetDouble(ordinal));
}
