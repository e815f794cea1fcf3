using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Notifications;
using IncidentResponder.Core.People;

namespace IncidentResponder.Core.Tests.Notifications;

/// <summary>The channel hears when a person takes an escalated incident, hands it back, and closes it.</summary>
public sealed class PeopleNotificationTests
{
    /// <summary>An escalated story at minute 1 acknowledged by bob at minute 2, through the pure lifecycle.</summary>
    private static (NotificationStory Story, IncidentSpec Spec) Acknowledged()
    {
        var story = new NotificationStory().Open(0);
        story.Deliver(0);
        story.Escalate(1);
        story.Deliver(1);
        story.Spec.Acknowledgement = new PersonRequest { By = "bob", At = NotificationStory.Minute(2).UtcDateTime };
        Replace(story, PeopleLifecycle.Apply(story.Status, story.Spec, null, null, NotificationStory.Minute(2)).Status);
        return (story, story.Spec);
    }

    private static void Replace(NotificationStory story, IncidentStatus status)
    {
        story.Status.Phase = status.Phase;
        story.Status.Conditions = status.Conditions;
        story.Status.People = status.People;
        story.Status.ResolvedAt = status.ResolvedAt;
        story.Status.Timeline = status.Timeline;
    }

    [Fact]
    public void An_acknowledgement_is_told_with_who_holds_the_incident_and_the_cadence_goes_on()
    {
        var (story, _) = Acknowledged();

        var update = story.Deliver(2);

        Assert.Equal(UpdateKind.Changed, update.Kind);
        Assert.Equal("Acknowledged: bob holds the incident", Assert.Single(update.Changes));
        Assert.Contains(IncidentUpdateText.Fields(update), f => f.Label == "Held by" && f.Value.StartsWith("bob", StringComparison.Ordinal));
        Assert.Equal(UpdateKind.Periodic, story.Deliver(40).Kind);
    }

    [Fact]
    public void A_hand_back_is_told_as_its_own_moment()
    {
        var (story, spec) = Acknowledged();
        story.Deliver(2);
        spec.Handback = new PersonRequest { By = "bob", At = NotificationStory.Minute(3).UtcDateTime, Reason = "fixed the config" };
        Replace(story, PeopleLifecycle.Apply(story.Status, spec, null, null, NotificationStory.Minute(3)).Status);

        var update = story.Deliver(3);

        Assert.Equal("Handed back: handed back to automation by bob: fixed the config", Assert.Single(update.Changes));
    }

    [Fact]
    public void A_cancelled_incident_is_told_as_closed_and_its_periodic_updates_stop()
    {
        var (story, spec) = Acknowledged();
        story.Deliver(2);
        spec.Resolution = new IncidentResolution { Outcome = ResolutionOutcome.Cancelled, By = "carol", Reason = "synthetic check misfired", At = NotificationStory.Minute(4).UtcDateTime };
        Replace(story, PeopleLifecycle.Apply(story.Status, spec, null, null, NotificationStory.Minute(4)).Status);

        var update = story.Deliver(4);

        Assert.Equal(UpdateKind.Resolved, update.Kind);
        Assert.Equal("Cancelled: cancelled by carol as a false alarm: synthetic check misfired", Assert.Single(update.Changes));
        Assert.Equal("none: the incident is cancelled", IncidentUpdateText.NextUpdate(update));
        Assert.IsType<NotificationPlan.Idle>(story.Plan(90));
    }
}
