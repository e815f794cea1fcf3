using IncidentResponder.History.Tests.Support;

namespace IncidentResponder.History.Tests;

/// <summary>
/// Every way of giving the history store its credentials reaches every connection it makes, the schema migration's
/// included (DbUp once got a connection string with the password stripped), and a refusal is one clear sentence.
/// The fixture's server asks for SCRAM-SHA-256 passwords, as production databases do.
/// </summary>
public sealed class CredentialTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_password_in_the_connection_string_migrates_records_and_reads()
    {
        postgres.RequireDatabase();
        Assert.Equal(PostgresAuthentication.ScramSha256, postgres.Server.Authentication);
        var database = await postgres.Server.CreateOwnedDatabaseAsync("password");

        await using var store = HistoryStore.Open(database.ConnectionString);

        await AssertMigratesRecordsAndReadsAsync(store);
    }

    [Fact]
    public async Task A_password_file_named_by_the_connection_string_migrates_records_and_reads()
    {
        postgres.RequireDatabase();
        var database = await postgres.Server.CreateOwnedDatabaseAsync("passfile");
        var directory = Directory.CreateTempSubdirectory("pgpass-").FullName;
        var passfile = Path.Combine(directory, "pgpass");
        await File.WriteAllTextAsync(passfile, "# host:port:database:user:password\n" + database.PasswordFileLine + "\n", TestContext.Current.CancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await using (var store = HistoryStore.Open(database.ConnectionStringWithoutPassword + ";Passfile=" + passfile))
        {
            await AssertMigratesRecordsAndReadsAsync(store);
        }

        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task A_wrong_password_is_an_authentication_error_naming_the_user_and_where_passwords_come_from()
    {
        postgres.RequireDatabase();
        var database = await postgres.Server.CreateOwnedDatabaseAsync("wrong");
        await using var store = HistoryStore.Open(database.ConnectionStringWithoutPassword + ";Password=not-it");

        var migrate = await Assert.ThrowsAsync<HistoryAuthenticationException>(() => store.MigrateAsync(TestContext.Current.CancellationToken));
        var read = await Assert.ThrowsAsync<HistoryAuthenticationException>(() => store.PingAsync(TestContext.Current.CancellationToken));

        foreach (var refused in new[] { migrate, read })
        {
            Assert.StartsWith($"authentication failed for user \"{database.User}\" (password authentication failed for user \"{database.User}\")", refused.Message, StringComparison.Ordinal);
            Assert.Contains("Passfile", refused.Message, StringComparison.Ordinal);
            Assert.Contains("PGPASSWORD", refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("not-it", refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', refused.Message);
        }
    }

    [Fact]
    public async Task No_password_anywhere_is_named_as_such()
    {
        postgres.RequireDatabase();
        var database = await postgres.Server.CreateOwnedDatabaseAsync("nopass");
        // A password file that holds no line for this database: nothing to authenticate with, whatever the machine has.
        var directory = Directory.CreateTempSubdirectory("pgpass-empty-").FullName;
        var passfile = Path.Combine(directory, "pgpass");
        await File.WriteAllTextAsync(passfile, string.Empty, TestContext.Current.CancellationToken);
        await using var store = HistoryStore.Open(database.ConnectionStringWithoutPassword + ";Passfile=" + passfile);

        var refused = await Assert.ThrowsAsync<HistoryAuthenticationException>(() => store.MigrateAsync(TestContext.Current.CancellationToken));

        Assert.StartsWith($"authentication failed for user \"{database.User}\" (no password was provided)", refused.Message, StringComparison.Ordinal);
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>The one test that keeps trust authentication: a server that asks for no password still works.</summary>
    [Fact]
    public async Task A_server_with_trust_authentication_still_works_without_a_password()
    {
        postgres.RequireDatabase();
        await using var trusting = await PostgresServer.StartAsync(PostgresAuthentication.Trust);
        var database = await trusting.CreateOwnedDatabaseAsync("trust");

        await using var store = HistoryStore.Open(database.ConnectionStringWithoutPassword);

        await AssertMigratesRecordsAndReadsAsync(store);
    }

    private static async Task AssertMigratesRecordsAndReadsAsync(HistoryStore store)
    {
        Assert.Equal(SchemaMigrations.KnownScripts(), await store.MigrateAsync(TestContext.Current.CancellationToken));
        var incident = SampleIncidents.Incident(name: "web-crashloop-r2", ns: "shop", detectSeconds: 10, restoreSeconds: 60, detectedAt: DateTime.UtcNow.AddMinutes(-5));
        Assert.True(await store.RecordAsync(new IncidentSnapshot(incident, DateTimeOffset.UtcNow), TestContext.Current.CancellationToken) > 0);
        var recent = await store.RecentIncidentsAsync("shop", DateTimeOffset.UtcNow.AddHours(-1), 10, TestContext.Current.CancellationToken);
        Assert.Equal("web-crashloop-r2", Assert.Single(recent).Name);
    }
}
