using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.History.Tests.Support;
using static IncidentResponder.Testing.SampleIncidents;

namespace IncidentResponder.History.Tests;

/// <summary>MTTD / MTTR from known fixtures; every expected figure is worked out by hand in the comments.</summary>
public sealed class ResponseTimeTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Since = new(T0.AddDays(-1));
    private static readonly DateTimeOffset Until = new(T0.AddDays(1));

    private HistoryStore? _store;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // A database of its own for each test (xunit makes a new instance per test), holding exactly these fixtures.
        postgres.RequireDatabase();
        _store = HistoryStore.Open(await postgres.Server.CreateDatabaseAsync("times"));
        await _store.MigrateAsync(Cancel);
        Incident[] fixtures =
        [
            // shop, SEV-2: detect 10 / 20 / 60 s; restore 100 / 200 s and one never mitigated nor resolved.
            Incident(name: "a1", ns: "shop", severity: Severity.Sev2, detectSeconds: 10, restoreSeconds: 100, phase: IncidentPhase.Mitigated),
            Incident(name: "a2", ns: "shop", severity: Severity.Sev2, detectSeconds: 20, restoreSeconds: 200, phase: IncidentPhase.Mitigated),
            Incident(name: "a3", ns: "shop", severity: Severity.Sev2, detectSeconds: 60, restoreSeconds: null, phase: IncidentPhase.Escalated),
            // shop, SEV-1: one incident, detect 4 s, restore 30 s.
            Incident(name: "b1", ns: "shop", severity: Severity.Sev1, detectSeconds: 4, restoreSeconds: 30, phase: IncidentPhase.Mitigated),
            // pay, SEV-2: detect 8 s, restore 50 s.
            Incident(name: "c1", ns: "pay", severity: Severity.Sev2, detectSeconds: 8, restoreSeconds: 50, phase: IncidentPhase.Mitigated),
            // shop, SEV-2 but detected three days earlier: outside the range.
            Incident(name: "old", ns: "shop", severity: Severity.Sev2, detectSeconds: 1000, restoreSeconds: 5000, detectedAt: T0.AddDays(-3)),
        ];
        foreach (var incident in fixtures)
        {
            await _store.RecordAsync(new IncidentSnapshot(incident, DateTimeOffset.UtcNow), Cancel);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Mttd_and_mttr_per_namespace_and_severity()
    {
        var rows = await _store!.ResponseTimesAsync(null, Since, Until, Cancel);

        Assert.Equal([("pay", "SEV-2"), ("shop", "SEV-1"), ("shop", "SEV-2")], rows.Select(r => (r.Namespace, r.Severity)));
        var shop2 = rows[2];
        Assert.Equal(3, shop2.Incidents);
        // Detect over {10, 20, 60}: mean 30; median 20; p90 at rank 0.9 * (3 - 1) = 1.8 → 20 + 0.8 * (60 - 20) = 52.
        AssertStats(shop2.Detect, count: 3, average: 30, p50: 20, p90: 52);
        // Restore over {100, 200} (a3 has neither mitigatedAt nor resolvedAt): mean 150; median 150; p90 100 + 0.9 * 100 = 190.
        AssertStats(shop2.Restore, count: 2, average: 150, p50: 150, p90: 190);
        AssertStats(rows[1].Detect, count: 1, average: 4, p50: 4, p90: 4);
        AssertStats(rows[1].Restore, count: 1, average: 30, p50: 30, p90: 30);
        AssertStats(rows[0].Restore, count: 1, average: 50, p50: 50, p90: 50);
    }

    [Fact]
    public async Task Resolution_counts_as_restore_when_there_was_no_verified_mitigation()
    {
        var closedByHand = Incident(name: "manual", ns: "ops", severity: Severity.Sev3, detectSeconds: 2, restoreSeconds: null);
        closedByHand.Status!.ResolvedAt = T0.AddSeconds(600);
        await _store!.RecordAsync(new IncidentSnapshot(closedByHand, DateTimeOffset.UtcNow), Cancel);

        var ops = Assert.Single(await _store.ResponseTimesAsync("ops", Since, Until, Cancel));

        AssertStats(ops.Restore, count: 1, average: 600, p50: 600, p90: 600);
    }

    [Fact]
    public async Task The_namespace_filter_and_the_time_range_select_the_incidents()
    {
        var shop = await _store!.ResponseTimesAsync("shop", Since, Until, Cancel);
        Assert.Equal(["SEV-1", "SEV-2"], shop.Select(r => r.Severity));

        // Only the old incident: three days back, one day wide.
        var old = Assert.Single(await _store.ResponseTimesAsync("shop", new DateTimeOffset(T0.AddDays(-4)), new DateTimeOffset(T0.AddDays(-2)), Cancel));
        AssertStats(old.Detect, count: 1, average: 1000, p50: 1000, p90: 1000);

        Assert.Empty(await _store.ResponseTimesAsync("nowhere", Since, Until, Cancel));
    }

    [Fact]
    public async Task Recent_incidents_are_newest_first_within_the_range()
    {
        var recent = await _store!.RecentIncidentsAsync("shop", Since, 10, Cancel);

        Assert.Equal(4, recent.Count);
        Assert.DoesNotContain(recent, i => i.Name == "old");
        Assert.True(recent.Zip(recent.Skip(1)).All(p => (p.First.DetectedAt ?? p.First.CreatedAt) >= (p.Second.DetectedAt ?? p.Second.CreatedAt)));
        Assert.Equal(2, (await _store.RecentIncidentsAsync("shop", Since, 2, Cancel)).Count);
    }

    private static void AssertStats(DurationStats stats, int count, double average, double p50, double p90)
    {
        Assert.Equal(count, stats.Count);
        Assert.Equal(average, stats.Average!.Value.TotalSeconds, precision: 6);
        Assert.Equal(p50, stats.P50!.Value.TotalSeconds, precision: 6);
        Assert.Equal(p90, stats.P90!.Value.TotalSeconds, precision: 6);
    }
}
