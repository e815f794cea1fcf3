using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Notifications;
using static IncidentResponder.Core.Tests.Notifications.NotificationStory;

namespace IncidentResponder.Core.Tests.Notifications;

/// <summary>A failing receiver is tried again later and later, never in a hot loop, and never blocks anything else.</summary>
public sealed class DeliveryFailureTests
{
    [Fact]
    public void A_failure_is_counted_and_explained_and_keeps_what_was_delivered()
    {
        var story = new NotificationStory().Open(0);
        story.Deliver(0);
        story.Action("rollback", ActionPhase.Running, 1);

        story.Fail(1, "HTTP 503 after 4 attempts");

        Assert.Equal(1, story.Record!.ConsecutiveFailures);
        Assert.Equal("HTTP 503 after 4 attempts", story.Record.LastError);
        Assert.Equal(Minute(1).UtcDateTime, story.Record.LastErrorAt);
        Assert.Equal(1, story.Record.UpdatesSent);
        Assert.Equal("opened", story.Record.LastMoment);
    }

    [Fact]
    public void The_failed_update_is_tried_again_after_an_exponential_back_off()
    {
        var story = new NotificationStory().Open(0);
        var t = Minute(0);

        story.Fail(0);
        Assert.Equal(t.AddSeconds(30), Assert.IsType<NotificationPlan.Wait>(story.Plan(0.25)).At);
        story.Fail(0.5);
        Assert.Equal(Minute(0.5).AddSeconds(60), Assert.IsType<NotificationPlan.Wait>(story.Plan(0.6)).At);
        story.Fail(1.5);
        Assert.Equal(Minute(1.5).AddSeconds(120), Assert.IsType<NotificationPlan.Wait>(story.Plan(1.6)).At);

        var update = story.Deliver(3.5);
        Assert.Equal(UpdateKind.Declared, update.Kind);
        Assert.Equal(0, story.Record!.ConsecutiveFailures);
        Assert.Equal("HTTP 503", story.Record.LastError); // kept for people to see what happened
    }

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(5, 480)]
    [InlineData(6, 600)]
    [InlineData(60, 600)]
    public void The_back_off_doubles_up_to_ten_minutes(int failures, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), DeliveryBackoff.Delay(failures));
    }

    [Fact]
    public void The_first_back_off_can_be_shortened()
    {
        var story = new NotificationStory().Open(0);
        story.Fail(0);
        Assert.Equal(Minute(0).AddMilliseconds(200), Assert.IsType<NotificationPlan.Wait>(story.Plan(0, TimeSpan.FromMilliseconds(200))).At);
    }

    [Fact]
    public void A_closed_incident_stops_retrying_after_ten_failures_in_a_row()
    {
        var story = new NotificationStory().Open(0);
        story.Deliver(0);
        story.Resolve(1);
        for (var i = 0; i < DeliveryBackoff.MaxFailuresAfterClose - 1; i++)
        {
            story.Fail(1 + (i * 20));
        }

        Assert.IsType<NotificationPlan.Send>(story.Plan(1000));
        story.Fail(1000);
        Assert.IsType<NotificationPlan.Idle>(story.Plan(2000));
    }

    [Fact]
    public void An_open_incident_keeps_retrying_however_long_the_receiver_is_down()
    {
        var story = new NotificationStory().Open(0);
        for (var i = 0; i < 30; i++)
        {
            story.Fail(i * 10);
        }

        Assert.Equal(Minute(290) + DeliveryBackoff.Cap, Assert.IsType<NotificationPlan.Wait>(story.Plan(291)).At);
    }

    [Fact]
    public void A_long_error_is_cut_to_the_status_bound()
    {
        var story = new NotificationStory().Open(0);
        story.Fail(0, new string('x', 5000));
        Assert.Equal(1024, story.Record!.LastError!.Length);
    }

    [Fact]
    public void A_periodic_update_that_failed_waits_for_its_back_off_too()
    {
        var story = new NotificationStory(Severity.Sev1).Open(0);
        story.Deliver(0);
        story.Fail(15);

        Assert.Equal(Minute(15).AddSeconds(30), Assert.IsType<NotificationPlan.Wait>(story.Plan(15.1)).At);
        Assert.Equal(UpdateKind.Periodic, story.Deliver(15.5).Kind);
    }
}
