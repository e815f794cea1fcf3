using IncidentResponder.Core.People;

namespace IncidentResponder.Core.Tests.People;

public sealed class ApprovableStepTests
{
    [Fact]
    public void A_step_of_the_incidents_runbook_may_be_approved() =>
        Assert.Null(ApprovableStep.Refusal("web-down", "rollback", "bad-rollout", ["rollback", "scale-up"]));

    [Fact]
    public void Another_step_is_refused_with_the_runbooks_steps_to_choose_from() =>
        Assert.Equal("step rolback is not a step of runbook bad-rollout (its steps: rollback, scale-up): pass one of them",
            ApprovableStep.Refusal("web-down", "rolback", "bad-rollout", ["rollback", "scale-up"]));

    [Fact]
    public void Nothing_can_be_approved_before_the_incident_has_a_runbook() =>
        Assert.StartsWith("incident web-down has no runbook yet", ApprovableStep.Refusal("web-down", "rollback", null, null), StringComparison.Ordinal);

    [Fact]
    public void A_runbook_that_is_gone_is_named() =>
        Assert.Equal("runbook bad-rollout of incident web-down does not exist, so step rollback cannot be approved: check spec.runbookRef",
            ApprovableStep.Refusal("web-down", "rollback", "bad-rollout", null));
}
