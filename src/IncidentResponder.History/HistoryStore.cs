using Npgsql;

namespace IncidentResponder.History;

/// <summary>
/// The incident history in PostgreSQL, for the operator (migrate, record snapshots) and for the commands that read it
/// (<c>history</c>, <c>postmortem</c>). One pooled data source per store; dispose it to close the pool. Every
/// connection, the schema migration's included, comes from that data source, so it authenticates the same way
/// (password, Passfile, PGPASSFILE, PGPASSWORD); a refusal surfaces as a <see cref="HistoryAuthenticationException"/>
/// with one line a person can act on.
/// </summary>
public sealed class HistoryStore : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlConnectionStringBuilder _settings;

    private HistoryStore(NpgsqlDataSource dataSource, NpgsqlConnectionStringBuilder settings)
    {
        _dataSource = dataSource;
        _settings = settings;
    }

    /// <summary>
    /// A store on an Npgsql connection string; nothing is contacted until the first call. A malformed string throws
    /// <see cref="ArgumentException"/> naming the bad keyword.
    /// </summary>
    public static HistoryStore Open(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        return new HistoryStore(NpgsqlDataSource.Create(settings), settings);
    }

    /// <summary>Applies the schema migrations not applied yet; returns their names.</summary>
    public Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken) =>
        Authenticated(() => SchemaMigrations.ApplyAsync(_dataSource, cancellationToken));

    /// <summary>
    /// Records a snapshot idempotently. Returns the number of rows inserted or changed: 0 when the history already held
    /// everything in it.
    /// </summary>
    public Task<long> RecordAsync(IncidentSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Authenticated(() => SnapshotWriter.WriteAsync(_dataSource, SnapshotRows.From(snapshot), snapshot.RecordedAt.ToUniversalTime(), cancellationToken));
    }

    /// <summary>MTTD / MTTR per namespace and severity for incidents detected in [since, until).</summary>
    public Task<IReadOnlyList<ResponseTimes>> ResponseTimesAsync(string? ns, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        Authenticated(() => ResponseTimeQuery.RunAsync(_dataSource, ns, since, until, cancellationToken));

    /// <summary>The most recently detected incidents since <paramref name="since"/>, newest first.</summary>
    public Task<IReadOnlyList<IncidentSummary>> RecentIncidentsAsync(string? ns, DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        Authenticated(() => IncidentQueries.RecentAsync(_dataSource, ns, since, limit, cancellationToken));

    /// <summary>One incident's whole record, by its uid.</summary>
    public Task<IncidentHistoryRecord?> IncidentAsync(string uid, CancellationToken cancellationToken) =>
        Authenticated(() => IncidentQueries.RecordAsync(_dataSource, uid, cancellationToken));

    /// <summary>The whole record of the latest incident (by creation) with this namespace and name.</summary>
    public Task<IncidentHistoryRecord?> LatestIncidentAsync(string ns, string name, CancellationToken cancellationToken) =>
        Authenticated(async () => await IncidentQueries.LatestUidAsync(_dataSource, ns, name, cancellationToken).ConfigureAwait(false) is { } uid
            ? await IncidentQueries.RecordAsync(_dataSource, uid, cancellationToken).ConfigureAwait(false)
            : null);

    /// <summary>
    /// The post-mortem Markdown of the latest incident named <paramref name="ns"/>/<paramref name="name"/> that has one,
    /// or null: what <c>incident-responder postmortem</c> prints when the Incident and its ConfigMap are gone.
    /// </summary>
    public Task<string?> PostmortemAsync(string ns, string name, CancellationToken cancellationToken) =>
        Authenticated(() => IncidentQueries.PostmortemAsync(_dataSource, ns, name, cancellationToken));

    /// <summary>
    /// Deletes the evidence (log excerpts, events) of incidents closed or deleted before <paramref name="before"/>, and
    /// of any whose evidence was last written before it; the incident, its actions, timeline and post-mortem stay, so
    /// response times keep their data. Evidence holds what the workload printed, which may be personal or secret:
    /// keeping it forever is a liability nobody asked for. Returns the number of rows deleted.
    /// </summary>
    public Task<long> PurgeEvidenceAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        Authenticated(async () =>
        {
            await using var command = _dataSource.CreateCommand("""
                DELETE FROM evidence e USING incidents i
                WHERE e.incident_uid = i.uid AND COALESCE(i.deleted_at, i.resolved_at, e.updated_at) < @before
                """);
            command.Parameters.AddWithValue("before", before.ToUniversalTime());
            return (long)await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        });

    /// <summary>A round trip to the database (the readiness check's probe while it is down).</summary>
    public Task PingAsync(CancellationToken cancellationToken) =>
        Authenticated(async () =>
        {
            await using var command = _dataSource.CreateCommand("SELECT 1");
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        });

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private async Task<T> Authenticated<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception error) when (Credentials.Refused(error, _settings) is { } refused)
        {
            throw refused;
        }
    }
}
