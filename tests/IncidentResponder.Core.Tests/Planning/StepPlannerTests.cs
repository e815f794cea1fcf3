using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Planning;
using static IncidentResponder.Core.Tests.Fixtures.Runbooks;

namespace IncidentResponder.Core.Tests.Planning;

public sealed class StepPlannerTests
{
    private static readonly PlanningContext CrashAfterDeploy = new([SignalType.CrashLoop], true, Severity.Sev3);
    private static readonly PlanningContext OomOnStable = new([SignalType.OOMKilled], false, Severity.Sev3);
    private static readonly PlanningContext Outage = new([SignalType.CrashLoop], true, Severity.Sev1);

    private static PlanDecision Next(PlanningContext context, params ActionRecord[] actions) => StepPlanner.Next(DecisionTree(), actions, context);

    private static void AssertRuns(PlanDecision decision, string step, int attempt = 1)
    {
        var run = Assert.IsType<PlanDecision.RunStep>(decision);
        Assert.Equal((step, attempt), (run.Step.Name, run.Attempt));
    }

    [Fact]
    public void Recent_deployment_rolls_back_first() => AssertRuns(Next(CrashAfterDeploy), "rollback");

    [Fact]
    public void Severe_incidents_announce_first() => AssertRuns(Next(Outage), "announce");

    [Fact]
    public void A_note_is_followed_by_the_next_matching_step() =>
        AssertRuns(Next(Outage, Action("announce", ActionType.Note, ActionPhase.Succeeded)), "rollback");

    [Fact]
    public void Exhaustion_without_a_deploy_scales_up() => AssertRuns(Next(OomOnStable), "scale-up");

    [Theory]
    [InlineData(ActionPhase.Pending)]
    [InlineData(ActionPhase.Running)]
    public void An_action_in_flight_blocks_new_ones(ActionPhase phase) =>
        Assert.IsType<PlanDecision.InFlight>(Next(CrashAfterDeploy, Action("rollback", ActionType.RolloutUndo, phase)));

    [Fact]
    public void Awaiting_approval_resumes_the_same_attempt() =>
        AssertRuns(Next(CrashAfterDeploy, Action("rollback", ActionType.RolloutUndo, ActionPhase.AwaitingApproval)), "rollback", 1);

    [Fact]
    public void A_verified_mitigation_is_done() =>
        Assert.IsType<PlanDecision.Done>(Next(CrashAfterDeploy, Action("rollback", ActionType.RolloutUndo, ActionPhase.Succeeded)));

    [Fact]
    public void Failed_step_goes_to_the_next_matching_step_by_default()
    {
        // retry-rollback needs RolloutStuck; raise-memory needs OOMKilled: only page matches.
        var decision = Next(CrashAfterDeploy, Action("rollback", ActionType.RolloutUndo, ActionPhase.Failed));
        AssertRuns(decision, "page");
        Assert.Equal("step rollback failed: step page matches", decision.Reason);
    }

    [Fact]
    public void Failed_step_with_on_failure_escalate_escalates() =>
        Assert.Equal("step scale-up failed and its onFailure says escalate",
            Assert.IsType<PlanDecision.Escalate>(Next(OomOnStable, Action("scale-up", ActionType.Scale, ActionPhase.Failed))).Reason);

    [Fact]
    public void Failed_step_with_go_to_runs_that_step_again_as_a_new_attempt() =>
        AssertRuns(Next(OomOnStable,
            Action("scale-up", ActionType.Scale, ActionPhase.Succeeded),
            Action("raise-memory", ActionType.RaiseMemoryLimit, ActionPhase.Failed)), "scale-up", 2);

    [Theory]
    [InlineData(ActionPhase.Skipped)]
    [InlineData(ActionPhase.DryRun)]
    public void Skipped_and_dry_run_steps_move_on(ActionPhase phase) =>
        AssertRuns(Next(CrashAfterDeploy, Action("rollback", ActionType.RolloutUndo, phase)), "page");

    [Fact]
    public void Steps_running_out_escalates()
    {
        var runbook = DecisionTree();
        runbook.Steps.RemoveAt(runbook.Steps.Count - 1); // no final page step
        var decision = StepPlanner.Next(runbook, [Action("rollback", ActionType.RolloutUndo, ActionPhase.Failed)], CrashAfterDeploy);
        Assert.Contains("steps are exhausted", Assert.IsType<PlanDecision.Escalate>(decision).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_escalate_step_that_ran_is_done() =>
        Assert.IsType<PlanDecision.Done>(Next(CrashAfterDeploy, Action("page", ActionType.Escalate, ActionPhase.Succeeded)));

    [Fact]
    public void A_step_removed_from_the_runbook_escalates() =>
        Assert.IsType<PlanDecision.Escalate>(Next(CrashAfterDeploy, Action("gone", ActionType.RolloutUndo, ActionPhase.Failed)));

    [Fact]
    public void A_runbook_looping_past_the_record_limit_escalates()
    {
        var actions = Enumerable.Range(1, StepPlanner.MaxActions)
            .Select(i => Action(i % 2 == 0 ? "raise-memory" : "scale-up", ActionType.Scale, ActionPhase.Failed, i)).ToArray();
        Assert.IsType<PlanDecision.Escalate>(Next(OomOnStable, actions));
    }

    [Fact]
    public void Go_to_a_missing_step_escalates()
    {
        var runbook = DecisionTree();
        runbook.Steps[4].OnFailure = new StepFailurePolicy { Action = FailureAction.GoTo, Step = "nowhere" };
        var decision = StepPlanner.Next(runbook, [Action("raise-memory", ActionType.RaiseMemoryLimit, ActionPhase.Failed)], OomOnStable);
        Assert.IsType<PlanDecision.Escalate>(decision);
    }

    [Fact]
    public void After_a_reopen_a_step_runs_again_as_a_new_attempt_numbered_over_the_whole_record()
    {
        // The new episode has no records yet; the first one's rollback #1 succeeded and keeps its identity.
        var earlier = new[] { Action("rollback", ActionType.RolloutUndo, ActionPhase.Succeeded) };
        AssertRuns(StepPlanner.Next(DecisionTree(), [], CrashAfterDeploy, earlier), "rollback", 2);

        var failedAgain = Action("rollback", ActionType.RolloutUndo, ActionPhase.Failed, attempt: 2);
        AssertRuns(StepPlanner.Next(DecisionTree(), [failedAgain], CrashAfterDeploy, [.. earlier, failedAgain]), "page", 1);
    }

    [Fact]
    public void The_record_limit_counts_earlier_episodes_too()
    {
        var earlier = Enumerable.Range(1, StepPlanner.MaxActions).Select(i => Action("rollback", ActionType.RolloutUndo, ActionPhase.Succeeded, i)).ToArray();
        Assert.IsType<PlanDecision.Escalate>(StepPlanner.Next(DecisionTree(), [], CrashAfterDeploy, earlier));
    }
}
