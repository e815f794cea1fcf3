using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.History.Tests.Support;
using static IncidentResponder.Testing.SampleIncidents;

namespace IncidentResponder.History.Tests;

/// <summary>Evidence (what the workload printed) is purged after the retention; the rest of the record stays.</summary>
public sealed class EvidenceRetentionTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private HistoryStore? _store;

    private HistoryStore Store => _store!;

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
    public async Task Evidence_of_incidents_closed_before_the_cutoff_is_deleted_and_everything_else_is_kept()
    {
        // Resolved 90 s after T0, and 30 days later; an open one detected before the cutoff and written after it.
        var old = Incident(name: "old-" + Guid.NewGuid().ToString("N")[..6], detectedAt: T0);
        var recent = Incident(name: "recent-" + Guid.NewGuid().ToString("N")[..6], detectedAt: T0.AddDays(30));
        var open = Incident(name: "open-" + Guid.NewGuid().ToString("N")[..6], detectedAt: T0, phase: IncidentPhase.Mitigating);
        await RecordWithEvidenceAsync(old, T0.AddMinutes(5));
        await RecordWithEvidenceAsync(recent, T0.AddDays(30).AddMinutes(5));
        await RecordWithEvidenceAsync(open, T0.AddDays(29));

        var deleted = await Store.PurgeEvidenceAsync(new DateTimeOffset(T0.AddDays(10)), Cancel);

        Assert.True(deleted >= 1, $"{deleted} rows deleted");
        var purged = await Store.IncidentAsync(old.Metadata.Uid, Cancel);
        Assert.Null(purged!.Evidence);
        Assert.Equal("# Post-mortem", purged.PostmortemMarkdown);
        Assert.Equal(3, purged.Timeline.Count);
        Assert.Single(purged.Actions);
        Assert.Equal("## Logs\npanic: password=hunter2", (await Store.IncidentAsync(recent.Metadata.Uid, Cancel))!.Evidence?.Markdown);
        Assert.NotNull((await Store.IncidentAsync(open.Metadata.Uid, Cancel))!.Evidence);

        // A second purge finds nothing more of these.
        await Store.PurgeEvidenceAsync(new DateTimeOffset(T0.AddDays(10)), Cancel);
        Assert.NotNull((await Store.IncidentAsync(recent.Metadata.Uid, Cancel))!.Evidence);
    }

    private Task<long> RecordWithEvidenceAsync(Incident incident, DateTime at) =>
        Store.RecordAsync(new IncidentSnapshot(incident, new DateTimeOffset(at))
        {
            EvidenceMarkdown = "## Logs\npanic: password=hunter2",
            EvidenceJson = "{}",
            PostmortemMarkdown = "# Post-mortem",
        }, Cancel);
}
