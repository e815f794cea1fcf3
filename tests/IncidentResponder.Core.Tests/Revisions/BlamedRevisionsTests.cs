using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Revisions;
using static IncidentResponder.Core.Tests.Fixtures.Runbooks;

namespace IncidentResponder.Core.Tests.Revisions;

public sealed class BlamedRevisionsTests
{
    private static ActionRecord Rollback(ActionPhase phase, string? from, int attempt = 1)
    {
        var action = Action("rollback", ActionType.RolloutUndo, phase, attempt);
        action.Details = from is null ? null : new Dictionary<string, string> { ["fromRevision"] = from, ["toRevision"] = "1" };
        return action;
    }

    [Fact]
    public void Nothing_is_blamed_without_a_record() => Assert.Empty(BlamedRevisions.Of(null));

    [Fact]
    public void The_failing_revision_and_every_revision_a_rollback_moved_away_from_are_blamed()
    {
        var status = new IncidentStatus
        {
            Change = new RevisionChange { FailingRevision = 2 },
            Actions = [Rollback(ActionPhase.Succeeded, "2"), Rollback(ActionPhase.Pending, "4", 2), Rollback(ActionPhase.Failed, "6", 3), Rollback(ActionPhase.Running, "7", 4)],
        };
        Assert.Equal([2L, 4L, 6L, 7L], BlamedRevisions.Of(status));
    }

    [Theory]
    [InlineData(ActionPhase.Skipped)]
    [InlineData(ActionPhase.DryRun)]
    [InlineData(ActionPhase.AwaitingApproval)]
    public void A_rollback_that_changed_nothing_blames_nothing(ActionPhase phase) =>
        Assert.Empty(BlamedRevisions.Of(new IncidentStatus { Actions = [Rollback(phase, "5")] }));

    [Fact]
    public void Other_actions_and_unreadable_details_blame_nothing()
    {
        var scale = Action("scale-up", ActionType.Scale, ActionPhase.Succeeded);
        scale.Details = new Dictionary<string, string> { ["fromRevision"] = "3" };
        var status = new IncidentStatus { Actions = [scale, Rollback(ActionPhase.Succeeded, "x"), Rollback(ActionPhase.Succeeded, "0"), Rollback(ActionPhase.Succeeded, null)] };
        Assert.Empty(BlamedRevisions.Of(status));
    }
}
