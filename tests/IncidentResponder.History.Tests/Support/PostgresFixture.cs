namespace IncidentResponder.History.Tests.Support;

/// <summary>
/// One private PostgreSQL server and one fresh database per test class (xunit class fixture). When the machine has no
/// PostgreSQL binaries the fixture starts nothing and every test that asks for the database skips, saying why.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;
    private string? _connectionString;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("no server: call RequireDatabase() first");

    /// <summary>The class's database, or a skip with the reason there is none.</summary>
    public string RequireDatabase()
    {
        if (_connectionString is null)
        {
            Assert.Skip(PostgresServer.Unavailable() ?? "the PostgreSQL server did not start");
        }

        return _connectionString;
    }

    public async ValueTask InitializeAsync()
    {
        if (PostgresServer.Unavailable() is not null)
        {
            return;
        }

        _server = await PostgresServer.StartAsync();
        _connectionString = await _server.CreateDatabaseAsync("test");
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
