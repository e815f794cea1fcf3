using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.History;
using IncidentResponder.Operator.History;
using IncidentResponder.Runtime.Controllers;
using k8s.Models;

namespace IncidentResponder.Operator.Tests.History;

/// <summary>The in-process buffer that keeps timeline entries the bounded status trims before they are recorded.</summary>
public sealed class HistoryBacklogTests
{
    private static readonly DateTime T0 = new(2026, 11, 2, 10, 0, 0, DateTimeKind.Utc);
    private readonly ManualClock _time = new() { Now = new DateTimeOffset(T0) };

    [Fact]
    public void Entries_trimmed_from_the_status_stay_buffered_until_recorded()
    {
        var backlog = new HistoryBacklog(maxBufferedEntriesPerIncident: 100, _time);
        var v1 = Version("1", Entry(0, "detected"), Entry(1, "triaged"), Entry(2, "rollback"));
        backlog.Observe(v1);
        _time.Now += TimeSpan.FromSeconds(30);

        // Version 2 trimmed "triaged" and "rollback" into a note and added an entry.
        var v2 = Version("2", Entry(0, "detected"), Note(2), Entry(3, "resolved"));
        backlog.Observe(v2);

        Assert.Equal(["detected", "triaged", "rollback", "resolved"], backlog.Buffered("uid-1").Select(e => e.Entry.Message));
        Assert.Equal(1, backlog.PendingCount);
        Assert.Equal(TimeSpan.FromSeconds(30), backlog.Lag);

        var recorded = SnapshotRows.From(new IncidentSnapshot(v2, _time.GetUtcNow()) { EarlierTimeline = backlog.Buffered("uid-1") }).Timeline;
        backlog.Recorded(v2, "2||", recorded);

        Assert.Empty(backlog.Buffered("uid-1"));
        Assert.Equal(0, backlog.PendingCount);
        Assert.Equal(TimeSpan.Zero, backlog.Lag);
        Assert.True(backlog.IsRecorded("uid-1", "2||"));
    }

    [Fact]
    public void A_version_seen_while_an_older_one_was_being_recorded_stays_pending()
    {
        var backlog = new HistoryBacklog(100, _time);
        var v1 = Version("1", Entry(0, "detected"));
        backlog.Observe(v1);
        backlog.Observe(Version("2", Entry(0, "detected"), Entry(5, "action")));

        backlog.Recorded(v1, "1||", TimelineKeys.Keyed(v1.Status!.Timeline!));

        Assert.Equal(1, backlog.PendingCount);
        Assert.Equal([new ReconcileRequest("shop", "inc")], backlog.PendingKeys());
        Assert.Equal(["action"], backlog.Buffered("uid-1").Select(e => e.Entry.Message));
    }

    [Fact]
    public void A_full_buffer_drops_its_oldest_entries_and_counts_them()
    {
        var backlog = new HistoryBacklog(maxBufferedEntriesPerIncident: 3, _time);

        backlog.Observe(Version("1", Entry(0, "a"), Entry(1, "b"), Entry(2, "c"), Entry(3, "d"), Entry(4, "e")));

        Assert.Equal(["c", "d", "e"], backlog.Buffered("uid-1").Select(e => e.Entry.Message));
        Assert.Equal(2, backlog.DroppedEntries);
    }

    [Fact]
    public void An_incident_deleted_before_it_was_recorded_is_handed_over_as_last_seen()
    {
        var backlog = new HistoryBacklog(100, _time);
        var v1 = Version("1", Entry(0, "detected"));
        backlog.Observe(v1);

        backlog.Departed(v1);

        Assert.Same(v1, backlog.UnrecordedDeparted(new ReconcileRequest("shop", "inc")));
        backlog.Recorded(v1, "1||", TimelineKeys.Keyed(v1.Status!.Timeline!));
        Assert.Null(backlog.UnrecordedDeparted(new ReconcileRequest("shop", "inc")));
        Assert.Equal(0, backlog.PendingCount);
    }

    private static Incident Version(string resourceVersion, params TimelineEntry[] timeline) => new()
    {
        Metadata = new V1ObjectMeta { Name = "inc", NamespaceProperty = "shop", Uid = "uid-1", ResourceVersion = resourceVersion },
        Spec = new IncidentSpec { TargetRef = new TargetReference { Name = "web" }, Signal = new Signal { Type = SignalType.CrashLoop } },
        Status = new IncidentStatus { Phase = IncidentPhase.Mitigating, Timeline = [.. timeline] },
    };

    private static TimelineEntry Entry(int second, string message) =>
        new() { Time = T0.AddSeconds(second), Type = TimelineEntryType.Note, Message = message };

    private static TimelineEntry Note(int omitted) =>
        new() { Time = T0.AddSeconds(2), Type = TimelineEntryType.Note, Message = $"{omitted} earlier entries omitted" };

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
