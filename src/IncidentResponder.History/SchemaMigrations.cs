using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;
using DbUp.Postgresql;
using Npgsql;

namespace IncidentResponder.History;

/// <summary>
/// Brings the history schema up to date with DbUp: the SQL scripts embedded under Migrations/, applied once each, in
/// the order of their version-numbered names, all in one transaction, and journaled in <c>schema_migrations</c>.
/// DbUp does not serialise concurrent upgrades, so two operator replicas starting together take a PostgreSQL advisory
/// lock first; the second one then finds nothing left to apply.
/// </summary>
public static class SchemaMigrations
{
    public const string JournalTable = "schema_migrations";

    // Any constant shared by every instance of this program; it only has to differ from other applications' locks.
    private const long AdvisoryLockKey = 0x49_52_48_69_73_74; // "IRHist"

    private const string ScriptPrefix = "IncidentResponder.History.Migrations.";

    /// <summary>Applies the scripts not applied yet; returns their names (empty when the schema was current).</summary>
    public static async Task<IReadOnlyList<string>> ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var lockConnection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            take.Parameters.AddWithValue("key", AdvisoryLockKey);
            await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            // DbUp is synchronous; the lock stays held on lockConnection while it runs on its own connection, taken from
            // the same data source (the data source's ConnectionString has the password removed, as Npgsql does unless
            // Persist Security Info is set, so DbUp must not be handed that string).
            var result = await Task.Run(() => Upgrader(dataSource).PerformUpgrade(), cancellationToken).ConfigureAwait(false);
            if (!result.Successful)
            {
                throw new HistoryStoreException($"Migrating the history schema failed at {result.ErrorScript?.Name ?? "an unknown script"}: {result.Error.Message}", result.Error);
            }

            return [.. result.Scripts.Select(s => ShortName(s.Name))];
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", AdvisoryLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Every script this build knows, oldest first (as they are applied).</summary>
    public static IReadOnlyList<string> KnownScripts() =>
        [.. typeof(SchemaMigrations).Assembly.GetManifestResourceNames().Where(IsMigration).Order(StringComparer.Ordinal).Select(ShortName)];

    private static UpgradeEngine Upgrader(NpgsqlDataSource dataSource) =>
        DeployChanges.To.PostgresqlDatabase(new PostgresqlConnectionManager(dataSource))
            .WithScriptsEmbeddedInAssembly(typeof(SchemaMigrations).Assembly, IsMigration)
            .JournalToPostgresqlTable("public", JournalTable)
            .WithTransaction()
            .WithVariablesDisabled()
            .LogTo(new NoUpgradeLog())
            .Build();

    private static bool IsMigration(string resourceName) =>
        resourceName.StartsWith(ScriptPrefix, StringComparison.Ordinal) && resourceName.EndsWith(".sql", StringComparison.Ordinal);

    private static string ShortName(string resourceName) =>
        resourceName.StartsWith(ScriptPrefix, StringComparison.Ordinal) ? resourceName[ScriptPrefix.Length..] : resourceName;

    /// <summary>The operator logs the outcome itself; DbUp's per-script console chatter would bypass its logging.</summary>
    private sealed class NoUpgradeLog : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args)
        {
        }

        public void LogDebug(string format, params object[] args)
        {
        }

        public void LogInformation(string format, params object[] args)
        {
        }

        public void LogWarning(string format, params object[] args)
        {
        }

        public void LogError(string format, params object[] args)
        {
        }

        public void LogError(Exception ex, string format, params object[] args)
        {
        }
    }
}
