using IncidentResponder.History.Tests.Support;
using Npgsql;

namespace IncidentResponder.History.Tests;

public sealed class MigrationTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Migrations_apply_once_in_version_order_and_are_journaled()
    {
        postgres.RequireDatabase();
        var connectionString = await postgres.Server.CreateDatabaseAsync("migrate");
        await using var store = HistoryStore.Open(connectionString);
        var known = SchemaMigrations.KnownScripts();
        Assert.NotEmpty(known);
        Assert.All(known, name => Assert.Matches(@"^\d{4}_[a-z0-9_]+\.sql$", name));

        var applied = await store.MigrateAsync(TestContext.Current.CancellationToken);
        Assert.Equal(known, applied);
        Assert.Equal(known, await JournalAsync(connectionString));

        var again = await store.MigrateAsync(TestContext.Current.CancellationToken);
        Assert.Empty(again);
        Assert.Equal(known, await JournalAsync(connectionString));
    }

    [Fact]
    public async Task Concurrent_migrations_from_two_replicas_apply_each_script_once()
    {
        postgres.RequireDatabase();
        var connectionString = await postgres.Server.CreateDatabaseAsync("race");
        await using var first = HistoryStore.Open(connectionString);
        await using var second = HistoryStore.Open(connectionString);

        var results = await Task.WhenAll(
            first.MigrateAsync(TestContext.Current.CancellationToken),
            second.MigrateAsync(TestContext.Current.CancellationToken));

        // The advisory lock serialises them: one applies everything, the other finds the schema current.
        Assert.Equal(SchemaMigrations.KnownScripts(), results.SelectMany(r => r).Order(StringComparer.Ordinal));
        Assert.Contains(results, r => r.Count == 0);
        Assert.Equal(SchemaMigrations.KnownScripts(), await JournalAsync(connectionString));
    }

    private static async Task<List<string>> JournalAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand($"SELECT scriptname FROM {SchemaMigrations.JournalTable} ORDER BY schemaversionsid", connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var names = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            names.Add(reader.GetString(0).Replace("IncidentResponder.History.Migrations.", string.Empty, StringComparison.Ordinal));
        }

        return names;
    }
}
