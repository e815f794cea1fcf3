using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Notifications;
using static IncidentResponder.Core.Tests.Notifications.NotificationStory;

namespace IncidentResponder.Core.Tests.Notifications;

/// <summary>Which deliveries the timeline tells, and the idempotent status change the controller writes.</summary>
public sealed class NotificationTimelineTests
{
    [Fact]
    public void The_first_update_and_the_resolution_are_told_and_routine_updates_are_not()
    {
        var story = new NotificationStory().Open(0);
        var declared = story.Deliver(0);
        Assert.Equal("Notified oncall (Slack): INCIDENT DECLARED — SEV-2", NotificationTimeline.Delivered(story.Target, declared, null, Minute(0))!.Message);

        var before = story.Record;
        story.Action("rollback", ActionPhase.Running, 1);
        Assert.Null(NotificationTimeline.Delivered(story.Target, story.Deliver(1), before, Minute(1)));

        before = story.Record;
        story.Resolve(2);
        var entry = NotificationTimeline.Delivered(story.Target, story.Deliver(2), before, Minute(2))!;
        Assert.Equal(TimelineEntryType.Notification, entry.Type);
        Assert.Equal("Notified oncall (Slack): INCIDENT RESOLVED — SEV-2", entry.Message);
    }

    [Fact]
    public void Pagerduty_events_are_told_with_their_action()
    {
        var story = new NotificationStory(Severity.Sev1, NotificationTargetType.PagerDuty).Open(0);
        var entry = NotificationTimeline.Delivered(story.Target, story.Deliver(0), null, Minute(0))!;
        Assert.Equal("Notified oncall (PagerDuty): INCIDENT DECLARED — SEV-1 (trigger)", entry.Message);
    }

    [Fact]
    public void The_first_failure_of_a_streak_is_told_then_the_recovery()
    {
        var story = new NotificationStory().Open(0);
        story.Fail(0, "HTTP 500 after 4 attempt(s)");
        Assert.Equal("Notification to oncall (Slack) failed: HTTP 500 after 4 attempt(s); retrying with back-off",
            NotificationTimeline.Failed(story.Target, story.Record!, incidentClosed: false, Minute(0))!.Message);

        story.Fail(1);
        Assert.Null(NotificationTimeline.Failed(story.Target, story.Record!, incidentClosed: false, Minute(1)));

        var before = story.Record;
        var entry = NotificationTimeline.Delivered(story.Target, story.Deliver(5), before, Minute(5))!;
        Assert.Equal("Notified oncall (Slack): INCIDENT DECLARED — SEV-2, after 2 failed deliveries", entry.Message);
    }

    [Fact]
    public void Giving_up_on_a_closed_incident_is_told()
    {
        var story = new NotificationStory().Open(0);
        for (var i = 0; i < DeliveryBackoff.MaxFailuresAfterClose; i++)
        {
            story.Fail(i);
        }

        var entry = NotificationTimeline.Failed(story.Target, story.Record!, incidentClosed: true, Minute(10))!;
        Assert.StartsWith("Notification to oncall (Slack) failed 10 times in a row; giving up", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Applying_the_same_change_twice_changes_the_status_once()
    {
        var story = new NotificationStory().Open(0);
        var update = story.Deliver(0);
        var entry = NotificationTimeline.Delivered(story.Target, update, null, Minute(0))!;

        NotificationTimeline.Apply(story.Status, [story.Record!], [entry], ["oncall"]);
        NotificationTimeline.Apply(story.Status, [story.Record!], [entry], ["oncall"]);

        Assert.Single(story.Status.Notifications!);
        Assert.Single(story.Status.Timeline!, e => e.Type == TimelineEntryType.Notification);
        Assert.NotSame(story.Record, story.Status.Notifications![0]); // a copy: the planner's record stays the planner's
    }

    [Fact]
    public void A_record_is_replaced_whole_by_target_name()
    {
        var story = new NotificationStory().Open(0);
        story.Deliver(0);
        NotificationTimeline.Apply(story.Status, [story.Record!], [], ["oncall"]);
        story.Fail(1);
        NotificationTimeline.Apply(story.Status, [story.Record!], [], ["oncall"]);

        var record = Assert.Single(story.Status.Notifications!);
        Assert.Equal(1, record.ConsecutiveFailures);
        Assert.Equal(1, record.UpdatesSent);
    }

    [Fact]
    public void Records_of_targets_gone_from_the_policy_make_room_stalest_first()
    {
        var status = new IncidentStatus
        {
            Notifications = [.. Enumerable.Range(0, 10).Select(i => new NotificationRecord
            {
                Target = $"old-{i}", Type = NotificationTargetType.Slack, LastSentAt = Minute(i).UtcDateTime,
            })],
        };
        var fresh = new NotificationRecord { Target = "new", Type = NotificationTargetType.Webhook, LastSentAt = Minute(20).UtcDateTime };

        NotificationTimeline.Apply(status, [fresh], [], ["new", "old-0"]);

        Assert.Equal(10, status.Notifications!.Count);
        Assert.Contains(status.Notifications, r => r.Target == "old-0"); // still a target: kept though stalest
        Assert.DoesNotContain(status.Notifications, r => r.Target == "old-1");
        Assert.Contains(status.Notifications, r => r.Target == "new");
    }
}

/// <summary>The incident controller rewrites the whole status from a copy: the copy must carry the records.</summary>
public sealed class NotificationRecordCopyTests
{
    [Fact]
    public void A_status_copy_carries_every_field_of_every_record()
    {
        var record = new NotificationRecord
        {
            Target = "pager", Type = NotificationTargetType.PagerDuty, UpdatesSent = 3, LastSentAt = Minute(1).UtcDateTime, LastMoment = "mitigated",
            LastMomentAt = Minute(0.5).UtcDateTime, NextUpdateAt = Minute(16).UtcDateTime, ConsecutiveFailures = 2, LastError = "HTTP 502",
            LastErrorAt = Minute(2).UtcDateTime, PagerDutyState = PagerDutyState.Acknowledged,
        };

        var copy = Assert.Single(IncidentResponder.Core.Incidents.IncidentStatusCopy.Clone(new IncidentStatus { Notifications = [record] }).Notifications!);

        Assert.NotSame(record, copy);
        Assert.Equal(k8s.KubernetesJson.Serialize(record), k8s.KubernetesJson.Serialize(copy));
    }
}
