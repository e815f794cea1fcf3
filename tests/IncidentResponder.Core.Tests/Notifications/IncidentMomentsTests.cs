using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Notifications;
using static IncidentResponder.Core.Tests.Notifications.NotificationStory;

namespace IncidentResponder.Core.Tests.Notifications;

public sealed class IncidentMomentsTests
{
    [Fact]
    public void Moments_are_read_from_the_status_in_order()
    {
        var story = new NotificationStory().Open(0)
            .Action("rollback", ActionPhase.Succeeded, 2, "verified")
            .Action("restart", ActionPhase.Pending, 3)
            .Mitigate(2.5)
            .Resolve(4);

        var moments = IncidentMoments.From(story.Status);

        Assert.Equal(["opened", "action/rollback/1/Succeeded", "mitigated", "resolved"], moments.Select(m => m.Key));
        Assert.Equal([Minute(0), Minute(2), Minute(2.5), Minute(4)], moments.Select(m => m.At));
    }

    [Fact]
    public void Moments_at_the_same_instant_are_ordered_by_kind()
    {
        var story = new NotificationStory().Open(1).Action("rollback", ActionPhase.Succeeded, 1).Mitigate(1);

        Assert.Equal([MomentKind.Opened, MomentKind.Action, MomentKind.Mitigated], IncidentMoments.From(story.Status).Select(m => m.Kind));
    }

    [Fact]
    public void A_stored_key_compares_by_time_then_kind_then_key()
    {
        var opened = new IncidentMoment("opened", MomentKind.Opened, Minute(1), "x");
        var action = new IncidentMoment("action/a/1/Running", MomentKind.Action, Minute(1), "x");

        Assert.True(action.IsAfter("opened", Minute(1)));
        Assert.False(opened.IsAfter("action/a/1/Running", Minute(1)));
        Assert.False(opened.IsAfter("opened", Minute(1)));
        Assert.True(opened.IsAfter("resolved", Minute(0.5)));
        Assert.Equal(MomentKind.Resolved, IncidentMoment.KindOf("resolved"));
        Assert.Equal(MomentKind.Action, IncidentMoment.KindOf("action/rollback/2/Failed"));
    }

    [Fact]
    public void An_escalated_condition_left_from_before_a_reopen_is_not_a_moment()
    {
        var story = new NotificationStory().Open(0).Escalate(1);
        story.Status.Phase = IncidentPhase.Mitigating;

        Assert.DoesNotContain(IncidentMoments.From(story.Status), m => m.Kind == MomentKind.Escalated);
    }
}
