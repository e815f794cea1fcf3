using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Notifications;
using IncidentResponder.Core.Policy;

namespace IncidentResponder.Core.Tests.Notifications;

/// <summary>During planned work nobody is paged; the channel still hears everything.</summary>
public sealed class MaintenancePagingTests
{
    private static readonly OpenMaintenanceWindow UntilMinute30 = new("db-upgrade", NotificationStory.Minute(30));

    [Fact]
    public void Pagerduty_is_not_triggered_while_a_window_is_open_and_the_planner_looks_again_at_its_end()
    {
        var story = new NotificationStory(Severity.Sev1, NotificationTargetType.PagerDuty) { Maintenance = UntilMinute30 }.Open(0);

        var wait = Assert.IsType<NotificationPlan.Wait>(story.Plan(1));

        Assert.Equal(UntilMinute30.Until, wait.At);
        Assert.Null(story.Record);
    }

    [Fact]
    public void Slack_is_told_about_the_incident_during_the_window()
    {
        var story = new NotificationStory(Severity.Sev1, NotificationTargetType.Slack) { Maintenance = UntilMinute30 }.Open(0);

        Assert.Equal(UpdateKind.Declared, story.Deliver(1).Kind);
    }

    [Fact]
    public void An_incident_still_open_when_the_window_closes_pages_then()
    {
        var story = new NotificationStory(Severity.Sev1, NotificationTargetType.PagerDuty) { Maintenance = UntilMinute30 }.Open(0);
        Assert.IsType<NotificationPlan.Wait>(story.Plan(1));

        story.Maintenance = null;

        Assert.Equal(PagerDutyAction.Trigger, story.Deliver(30).PagerDuty);
    }

    [Fact]
    public void An_incident_resolved_during_the_window_never_pages()
    {
        var story = new NotificationStory(Severity.Sev1, NotificationTargetType.PagerDuty) { Maintenance = UntilMinute30 }.Open(0);
        story.Resolve(10);

        story.Maintenance = null;

        Assert.IsType<NotificationPlan.Idle>(story.Plan(30));
    }

    [Fact]
    public void An_alert_triggered_before_the_window_is_still_resolved_during_it()
    {
        var story = new NotificationStory(Severity.Sev1, NotificationTargetType.PagerDuty).Open(0);
        story.Deliver(0);
        story.Maintenance = UntilMinute30;
        story.Resolve(5);

        Assert.Equal(PagerDutyAction.Resolve, story.Deliver(5).PagerDuty);
    }
}
