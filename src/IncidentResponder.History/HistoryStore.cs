using Npgsql;

namespace IncidentResponder.History;

/// <summary>
/// The incident history in PostgreSQL, for the operator (migrate, record snapshots) and for the commands that read it
/// (<c>history</c>, <c>postmortem</c>). One pooled data source per store; dispose it to close the pool.
/// </summary>
public sealed class HistoryStore : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    private HistoryStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>A store on an Npgsql connection string; nothing is contacted until the first call.</summary>
    public static HistoryStore Open(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new HistoryStore(NpgsqlDataSource.Create(connectionString));
    }

    /// <summary>Applies the schema migrations not applied yet; returns their names.</summary>
    public Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken) => SchemaMigrations.ApplyAsync(_dataSource, cancellationToken);

    /// <summary>
    /// Records a snapshot idempotently. Returns the number of rows inserted or changed: 0 when the history already held
    /// everything in it.
    /// </summary>
    public Task<long> RecordAsync(IncidentSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return SnapshotWriter.WriteAsync(_dataSource, SnapshotRows.From(snapshot), snapshot.RecordedAt.ToUniversalTime(), cancellationToken);
    }

    /// <summary>MTTD / MTTR per namespace and severity for incidents detected in [since, until).</summary>
    public Task<IReadOnlyList<ResponseTimes>> ResponseTimesAsync(string? ns, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        ResponseTimeQuery.RunAsync(_dataSource, ns, since, until, cancellationToken);

    /// <summary>The most recently detected incidents since <paramref name="since"/>, newest first.</summary>
    public Task<IReadOnlyList<IncidentSummary>> RecentIncidentsAsync(string? ns, DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        IncidentQueries.RecentAsync(_dataSource, ns, since, limit, cancellationToken);

    /// <summary>One incident's whole record, by its uid.</summary>
    public Task<IncidentHistoryRecord?> IncidentAsync(string uid, CancellationToken cancellationToken) =>
        IncidentQueries.RecordAsync(_dataSource, uid, cancellationToken);

    /// <summary>The whole record of the latest incident (by creation) with this namespace and name.</summary>
    public async Task<IncidentHistoryRecord?> LatestIncidentAsync(string ns, string name, CancellationToken cancellationToken) =>
        await IncidentQueries.LatestUidAsync(_dataSource, ns, name, cancellationToken).ConfigureAwait(false) is { } uid
            ? await IncidentQueries.RecordAsync(_dataSource, uid, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>
    /// The post-mortem Markdown of the latest incident named <paramref name="ns"/>/<paramref name="name"/> that has one,
    /// or null: what <c>incident-responder postmortem</c> prints when the Incident and its ConfigMap are gone.
    /// </summary>
    public Task<string?> PostmortemAsync(string ns, string name, CancellationToken cancellationToken) =>
        IncidentQueries.PostmortemAsync(_dataSource, ns, name, cancellationToken);

    /// <summary>A round trip to the database (the readiness check's probe while it is down).</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
