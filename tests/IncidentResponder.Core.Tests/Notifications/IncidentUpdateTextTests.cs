using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Notifications;

namespace IncidentResponder.Core.Tests.Notifications;

/// <summary>The playbook's "INCIDENT DECLARED" template, and the later updates in the same words.</summary>
public sealed class IncidentUpdateTextTests
{
    [Fact]
    public void The_declared_update_has_the_seeds_fields_in_the_seeds_order()
    {
        var update = new NotificationStory(Severity.Sev2).Open(0).Deliver(0);

        var fields = IncidentUpdateText.Fields(update);

        Assert.Equal(["What", "Impact", "Since", "Acting", "Next update"], fields.Select(f => f.Label));
        Assert.Equal("11:59 UTC (detected by incident-responder)", fields[2].Value);
        Assert.Equal("12:30 UTC (30 minutes)", fields[4].Value);
    }

    [Fact]
    public void The_plain_text_starts_with_the_headline()
    {
        var text = IncidentUpdateText.Plain(new NotificationStory(Severity.Sev1).Open(0).Deliver(0));

        Assert.StartsWith("INCIDENT DECLARED — SEV-1\n\nWhat: ImagePull (ImagePullBackOff) on deployment shop/api\n", text, StringComparison.Ordinal);
        Assert.EndsWith("Next update: 12:15 UTC (15 minutes)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_later_update_says_what_changed_and_the_phase()
    {
        var story = new NotificationStory().Open(0);
        story.Deliver(0);
        story.Action("rollback", ActionPhase.Running, 1, "rolled back to revision 3");

        var fields = IncidentUpdateText.Fields(story.Deliver(1));

        Assert.Equal(["What", "Impact", "Since", "Acting", "Phase", "Changed", "Next update"], fields.Select(f => f.Label));
        Assert.Equal("Mitigating", fields[4].Value);
        Assert.Equal("rollback (RolloutUndo) applied, verifying: rolled back to revision 3", fields[5].Value);
        Assert.Equal("incident-responder (runbook bad-rollout): step rollback (RolloutUndo) Running", fields[3].Value);
    }

    [Fact]
    public void A_periodic_update_says_nothing_changed()
    {
        var story = new NotificationStory(Severity.Sev1).Open(0);
        story.Deliver(0);
        var fields = IncidentUpdateText.Fields(story.Deliver(15));
        Assert.Equal("nothing since the last update", fields.Single(f => f.Label == "Changed").Value);
    }

    [Fact]
    public void Closed_incidents_promise_no_next_update_and_escalated_ones_keep_their_cadence()
    {
        var story = new NotificationStory().Open(0);
        story.Deliver(0);
        story.Resolve(2);
        Assert.Equal("none: the incident is resolved", IncidentUpdateText.NextUpdate(story.Deliver(2)));

        var escalated = new NotificationStory().Open(0);
        escalated.Deliver(0);
        escalated.Escalate(1);
        var update = escalated.Deliver(1);
        Assert.Equal("12:31 UTC (30 minutes)", IncidentUpdateText.NextUpdate(update));
        Assert.Contains(IncidentUpdateText.Fields(update), f => f.Label == "Handed to" && f.Value == "@backend-oncall, @backend-lead");
    }

    [Fact]
    public void A_sev4_update_is_sent_on_the_next_change()
    {
        Assert.Equal("on the next change", IncidentUpdateText.NextUpdate(new NotificationStory(Severity.Sev4).Open(0).Deliver(0)));
    }

    [Fact]
    public void Short_cadences_are_written_in_seconds()
    {
        var story = new NotificationStory(Severity.Sev1).Open(0);
        story.Cadence = new NotificationCadence { Sev1 = "90s" };
        Assert.Equal("12:01 UTC (90 seconds)", IncidentUpdateText.NextUpdate(story.Deliver(0)));
    }
}
