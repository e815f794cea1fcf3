using IncidentResponder.History.Tests.Support;
using static IncidentResponder.Testing.SampleIncidents;

namespace IncidentResponder.History.Tests;

public sealed class PostmortemLookupTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private HistoryStore? _store;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = HistoryStore.Open(postgres.RequireDatabase());
        await _store.MigrateAsync(Cancel);
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_latest_post_mortem_of_a_name_is_found_after_the_incident_is_gone()
    {
        var first = Incident(name: "web-crashloop-r2", detectedAt: T0);
        var second = Incident(name: "web-crashloop-r2", detectedAt: T0.AddDays(2));
        await _store!.RecordAsync(new IncidentSnapshot(first, DateTimeOffset.UtcNow) { PostmortemMarkdown = "# first" }, Cancel);
        await _store.RecordAsync(new IncidentSnapshot(second, DateTimeOffset.UtcNow) { PostmortemMarkdown = "# second" }, Cancel);

        Assert.Equal("# second", await _store.PostmortemAsync("shop", "web-crashloop-r2", Cancel));
    }

    [Fact]
    public async Task A_newer_incident_without_a_post_mortem_yet_does_not_hide_the_older_one()
    {
        var done = Incident(name: "api-oom", detectedAt: T0);
        var open = Incident(name: "api-oom", detectedAt: T0.AddDays(1));
        await _store!.RecordAsync(new IncidentSnapshot(done, DateTimeOffset.UtcNow) { PostmortemMarkdown = "# api-oom" }, Cancel);
        await _store.RecordAsync(new IncidentSnapshot(open, DateTimeOffset.UtcNow), Cancel);

        Assert.Equal("# api-oom", await _store.PostmortemAsync("shop", "api-oom", Cancel));
    }

    [Fact]
    public async Task No_post_mortem_is_null()
    {
        await _store!.RecordAsync(new IncidentSnapshot(Incident(name: "quiet"), DateTimeOffset.UtcNow), Cancel);

        Assert.Null(await _store.PostmortemAsync("shop", "quiet", Cancel));
        Assert.Null(await _store.PostmortemAsync("elsewhere", "quiet", Cancel));
    }
}
