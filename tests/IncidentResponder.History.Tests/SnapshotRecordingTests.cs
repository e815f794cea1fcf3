using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.History.Tests.Support;
using Npgsql;
using static IncidentResponder.Testing.SampleIncidents;

namespace IncidentResponder.History.Tests;

public sealed class SnapshotRecordingTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
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
    public async Task A_snapshot_is_recorded_whole_and_reads_back()
    {
        var incident = Incident(name: "whole");
        var changed = await Store.RecordAsync(new IncidentSnapshot(incident, DateTimeOffset.UtcNow)
        {
            EvidenceMarkdown = "## Logs\npanic: boom",
            EvidenceJson = "{\"logs\":[\"panic: boom\"]}",
            PostmortemMarkdown = "# Post-mortem: whole",
        }, Cancel);

        // 1 incident + 1 action + 3 timeline entries + evidence + post-mortem.
        Assert.Equal(7, changed);
        var record = await Store.IncidentAsync(incident.Metadata.Uid, Cancel);
        Assert.NotNull(record);
        Assert.Equal(("shop", "whole", "web", "CrashLoop", "SEV-2", "Resolved"),
            (record.Incident.Namespace, record.Incident.Name, record.Incident.TargetName, record.Incident.SignalType, record.Incident.Severity, record.Incident.Phase));
        Assert.Equal(new DateTimeOffset(T0), record.Incident.DetectedAt);
        Assert.Equal(new DateTimeOffset(T0.AddSeconds(60)), record.Incident.MitigatedAt);
        var action = Assert.Single(record.Actions);
        Assert.Equal(("rollback", 1, "RolloutUndo", "Succeeded"), (action.Step, action.Attempt, action.Type, action.Phase));
        Assert.Contains("\"toRevision\": \"1\"", action.DetailsJson, StringComparison.Ordinal);
        Assert.Equal(["Detected", "Triaged", "Action"], record.Timeline.Select(e => e.Type));
        Assert.Equal("## Logs\npanic: boom", record.Evidence?.Markdown);
        Assert.Equal("# Post-mortem: whole", record.PostmortemMarkdown);
    }

    [Fact]
    public async Task Recording_the_same_snapshot_again_changes_nothing()
    {
        var incident = Incident(name: "twice");
        var snapshot = new IncidentSnapshot(incident, DateTimeOffset.UtcNow) { PostmortemMarkdown = "# pm" };
        Assert.True(await Store.RecordAsync(snapshot, Cancel) > 0);
        var before = await RowVersionsAsync(incident.Metadata.Uid);

        var again = await Store.RecordAsync(snapshot with { RecordedAt = DateTimeOffset.UtcNow.AddMinutes(5) }, Cancel);

        Assert.Equal(0, again);
        // Not one row rewritten (xmin is the id of the transaction that last wrote a row).
        Assert.Equal(before, await RowVersionsAsync(incident.Metadata.Uid));
    }

    [Fact]
    public async Task Progress_updates_rows_and_entries_trimmed_from_the_status_are_kept()
    {
        var incident = Incident(name: "progress", phase: IncidentPhase.Mitigating, restoreSeconds: null);
        incident.Status!.Actions![0].Phase = ActionPhase.Running;
        incident.Status.Actions[0].FinishedAt = null;
        await Store.RecordAsync(new IncidentSnapshot(incident, DateTimeOffset.UtcNow), Cancel);

        // Later: the action succeeded, the incident resolved, and the bounded status trimmed two old entries into a note.
        var first = incident.Status.Timeline![0];
        incident.Status.Phase = IncidentPhase.Resolved;
        incident.Status.MitigatedAt = T0.AddSeconds(40);
        incident.Status.Actions[0].Phase = ActionPhase.Succeeded;
        incident.Status.Actions[0].FinishedAt = T0.AddSeconds(30);
        incident.Status.Timeline =
        [
            first,
            Entry(T0.AddSeconds(10), TimelineEntryType.Note, "2 earlier entries omitted"),
            Entry(T0.AddSeconds(40), TimelineEntryType.Verification, "web healthy"),
            Entry(T0.AddSeconds(41), TimelineEntryType.Phase, "Resolved"),
        ];
        var changed = await Store.RecordAsync(new IncidentSnapshot(incident, DateTimeOffset.UtcNow), Cancel);

        Assert.Equal(4, changed); // incident row, action row, two new entries
        var record = (await Store.IncidentAsync(incident.Metadata.Uid, Cancel))!;
        Assert.Equal("Resolved", record.Incident.Phase);
        Assert.Equal("Succeeded", Assert.Single(record.Actions).Phase);
        Assert.Equal(["Detected", "Triaged", "Action", "Verification", "Phase"], record.Timeline.Select(e => e.Type));
        Assert.DoesNotContain(record.Timeline, e => e.Message.Contains("omitted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Entries_buffered_before_the_status_trimmed_them_are_recorded_once()
    {
        var incident = Incident(name: "buffered");
        var seenEarlier = TimelineKeys.Keyed(incident.Status!.Timeline!);
        incident.Status.Timeline = [incident.Status.Timeline![0], Entry(T0.AddSeconds(99), TimelineEntryType.Phase, "Resolved")];

        await Store.RecordAsync(new IncidentSnapshot(incident, DateTimeOffset.UtcNow) { EarlierTimeline = seenEarlier }, Cancel);
        var again = await Store.RecordAsync(new IncidentSnapshot(incident, DateTimeOffset.UtcNow) { EarlierTimeline = seenEarlier }, Cancel);

        Assert.Equal(0, again);
        var record = (await Store.IncidentAsync(incident.Metadata.Uid, Cancel))!;
        Assert.Equal(["Detected", "Triaged", "Action", "Phase"], record.Timeline.Select(e => e.Type));
    }

    [Fact]
    public async Task Identical_timeline_entries_are_both_kept()
    {
        var incident = Incident(name: "twins");
        var twin = Entry(T0.AddSeconds(7), TimelineEntryType.Guardrail, "refused: [cooldown]");
        incident.Status!.Timeline!.AddRange([twin, Entry(twin.Time, twin.Type, twin.Message)]);

        await Store.RecordAsync(new IncidentSnapshot(incident, DateTimeOffset.UtcNow), Cancel);

        var record = (await Store.IncidentAsync(incident.Metadata.Uid, Cancel))!;
        Assert.Equal(2, record.Timeline.Count(e => e.Message == twin.Message));
    }

    [Fact]
    public async Task A_re_created_incident_with_the_same_name_is_a_new_incident()
    {
        var old = Incident(name: "again", detectedAt: T0);
        var recreated = Incident(name: "again", detectedAt: T0.AddHours(1));
        old.Metadata.DeletionTimestamp = T0.AddMinutes(30);
        await Store.RecordAsync(new IncidentSnapshot(old, DateTimeOffset.UtcNow), Cancel);
        await Store.RecordAsync(new IncidentSnapshot(recreated, DateTimeOffset.UtcNow), Cancel);

        var latest = await Store.LatestIncidentAsync("shop", "again", Cancel);
        Assert.Equal(recreated.Metadata.Uid, latest?.Incident.Uid);
        var first = await Store.IncidentAsync(old.Metadata.Uid, Cancel);
        Assert.Equal(new DateTimeOffset(T0.AddMinutes(30)), first?.Incident.DeletedAt);
        Assert.Equal(2, (await Store.RecentIncidentsAsync("shop", T0.AddDays(-1), 100, Cancel)).Count(i => i.Name == "again"));
    }

    [Fact]
    public async Task Notification_records_are_kept_one_per_target_at_their_latest()
    {
        var incident = Incident(name: "notified");
        incident.Status!.Notifications =
        [
            new NotificationRecord { Target = "slack", Type = NotificationTargetType.Slack, UpdatesSent = 1, LastSentAt = T0.AddSeconds(6) },
            new NotificationRecord { Target = "pager", Type = NotificationTargetType.PagerDuty, ConsecutiveFailures = 1, LastError = "HTTP 500" },
        ];
        await Store.RecordAsync(new IncidentSnapshot(incident, DateTimeOffset.UtcNow), Cancel);
        incident.Status.Notifications[0].UpdatesSent = 2;
        incident.Status.Notifications[0].LastSentAt = T0.AddSeconds(96);

        var changed = await Store.RecordAsync(new IncidentSnapshot(incident, DateTimeOffset.UtcNow), Cancel);

        Assert.Equal(1, changed);
        var record = (await Store.IncidentAsync(incident.Metadata.Uid, Cancel))!;
        Assert.Equal(["pager", "slack"], record.Notifications.Select(n => n.Target));
        var slack = record.Notifications[1];
        Assert.Equal(new DateTimeOffset(T0.AddSeconds(96)), slack.LastSentAt);
        Assert.Contains("\"updatesSent\": 2", slack.Json, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", record.Notifications[0].Json, StringComparison.Ordinal);
    }

    private async Task<List<string>> RowVersionsAsync(string uid)
    {
        await using var connection = new NpgsqlConnection(postgres.RequireDatabase());
        await connection.OpenAsync(Cancel);
        await using var command = new NpgsqlCommand("""
            SELECT 'i' || xmin::text FROM incidents WHERE uid = @uid
            UNION ALL SELECT 'a' || xmin::text FROM actions WHERE incident_uid = @uid
            UNION ALL SELECT 't' || xmin::text FROM timeline_entries WHERE incident_uid = @uid
            UNION ALL SELECT 'p' || xmin::text FROM postmortems WHERE incident_uid = @uid
            """, connection);
        command.Parameters.AddWithValue("uid", uid);
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        var versions = new List<string>();
        while (await reader.ReadAsync(Cancel))
        {
            versions.Add(reader.GetString(0));
        }

        return [.. versions.Order(StringComparer.Ordinal)];
    }
}
