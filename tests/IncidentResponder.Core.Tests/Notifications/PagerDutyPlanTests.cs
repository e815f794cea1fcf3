using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Notifications;

namespace IncidentResponder.Core.Tests.Notifications;

/// <summary>PagerDuty hears only changes of its alert: trigger, acknowledge, resolve, with one dedup_key throughout.</summary>
public sealed class PagerDutyPlanTests
{
    [Fact]
    public void Open_triggers_mitigation_acknowledges_resolution_resolves_with_one_dedup_key()
    {
        var story = new NotificationStory(Severity.Sev1, NotificationTargetType.PagerDuty).Open(0);

        var trigger = story.Deliver(0);
        Assert.Equal(PagerDutyAction.Trigger, trigger.PagerDuty);
        Assert.Equal(UpdateKind.Declared, trigger.Kind);
        Assert.Equal(PagerDutyState.Triggered, story.Record!.PagerDutyState);
        Assert.Null(trigger.NextUpdateAt); // PagerDuty is paged, not chatted to

        story.Action("rollback", ActionPhase.Running, 1);
        Assert.IsType<NotificationPlan.Idle>(story.Plan(1));

        story.Mitigate(2);
        var acknowledge = story.Deliver(2);
        Assert.Equal(PagerDutyAction.Acknowledge, acknowledge.PagerDuty);
        Assert.Equal(PagerDutyState.Acknowledged, story.Record.PagerDutyState);

        story.Resolve(5);
        var resolve = story.Deliver(5);
        Assert.Equal(PagerDutyAction.Resolve, resolve.PagerDuty);
        Assert.Equal(UpdateKind.Resolved, resolve.Kind);
        Assert.Equal(PagerDutyState.Resolved, story.Record.PagerDutyState);

        Assert.Equal(trigger.DedupKey, resolve.DedupKey);
        Assert.Equal(trigger.DedupKey, acknowledge.DedupKey);
        Assert.IsType<NotificationPlan.Idle>(story.Plan(600));
    }

    [Fact]
    public void No_periodic_event_is_sent_to_pagerduty()
    {
        var story = new NotificationStory(Severity.Sev1, NotificationTargetType.PagerDuty).Open(0);
        story.Deliver(0);
        Assert.IsType<NotificationPlan.Idle>(story.Plan(120));
    }

    [Fact]
    public void A_reopen_triggers_again()
    {
        var story = new NotificationStory(Severity.Sev2, NotificationTargetType.PagerDuty).Open(0);
        story.Deliver(0);
        story.Resolve(3);
        story.Deliver(3);
        story.Reopen(6);

        Assert.Equal(PagerDutyAction.Trigger, story.Deliver(6).PagerDuty);
    }

    [Fact]
    public void An_incident_first_seen_mitigated_is_triggered_before_it_is_acknowledged()
    {
        var story = new NotificationStory(Severity.Sev2, NotificationTargetType.PagerDuty).Open(0).Mitigate(1);

        Assert.Equal(PagerDutyAction.Trigger, story.Deliver(2).PagerDuty);
        Assert.Equal(PagerDutyAction.Acknowledge, story.Deliver(2).PagerDuty);
    }

    [Fact]
    public void An_escalation_after_an_acknowledge_triggers_again()
    {
        var story = new NotificationStory(Severity.Sev2, NotificationTargetType.PagerDuty).Open(0);
        story.Deliver(0);
        story.Mitigate(1);
        story.Deliver(1);
        story.Escalate(4);

        var update = story.Deliver(4);
        Assert.Equal(PagerDutyAction.Trigger, update.PagerDuty);
        Assert.Equal(UpdateKind.Escalated, update.Kind);
    }

    [Fact]
    public void A_failed_resolve_is_retried_with_back_off()
    {
        var story = new NotificationStory(Severity.Sev2, NotificationTargetType.PagerDuty).Open(0);
        story.Deliver(0);
        story.Resolve(1);
        story.Fail(1);

        Assert.IsType<NotificationPlan.Wait>(story.Plan(1.1));
        Assert.Equal(PagerDutyAction.Resolve, story.Deliver(2).PagerDuty);
    }
}
