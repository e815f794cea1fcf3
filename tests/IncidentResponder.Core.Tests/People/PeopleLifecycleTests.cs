using System.Text.Json;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.People;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.People.PeopleFixture;

namespace IncidentResponder.Core.Tests.People;

public sealed class PeopleLifecycleTests
{
    private static string Json(IncidentStatus status) => JsonSerializer.Serialize(status);

    [Fact]
    public void An_acknowledgement_of_an_escalated_incident_puts_the_person_in_hold_and_keeps_the_runbook_off()
    {
        var spec = Spec();
        spec.Acknowledgement = new PersonRequest { By = "bob", At = Clock.At(20).UtcDateTime };
        var outcome = Apply(Escalated(spec), spec, 21);

        Assert.Equal(IncidentPhase.Acknowledged, outcome.Status.Phase);
        Assert.Equal(("bob", "bob"), (outcome.Status.People!.AcknowledgedBy, outcome.Status.People.HeldBy));
        Assert.Equal("True", Condition(outcome.Status, PeopleConditions.Acknowledged));
        Assert.False(outcome.RunbookMayAct);
        Assert.Contains(outcome.Changes, c => c.Reason == PeopleConditions.Reasons.AcknowledgedByPerson);
        Assert.Contains(outcome.Status.Timeline!, e => e.Message == "Acknowledged by bob");
    }

    [Fact]
    public void The_commander_holds_an_acknowledged_incident_rather_than_whoever_acknowledged_it()
    {
        var spec = Spec();
        spec.Acknowledgement = new PersonRequest { By = "bob" };
        spec.Roles = new IncidentRoles { Commander = "carol", Communications = "dan" };
        var status = Apply(Escalated(spec), spec, 21).Status;

        Assert.Equal(("carol", "carol", "dan"), (status.People!.HeldBy, status.People.Commander, status.People.Communications));
        Assert.Contains(status.Timeline!, e => e.Message == "Incident commander: carol");
    }

    [Fact]
    public void Applying_the_same_spec_twice_changes_nothing_the_second_time()
    {
        var spec = Spec();
        spec.Acknowledgement = new PersonRequest { By = "bob", At = Clock.At(20).UtcDateTime };
        spec.Roles = new IncidentRoles { Commander = "carol" };
        spec.Regrade = new SeverityRegrade { Severity = Severity.Sev2, By = "carol", Reason = "checkout down" };
        spec.Notes = [new PersonNote { By = "dan", At = Clock.At(22).UtcDateTime, Text = "payments vendor confirms outage" }];
        spec.Approvals = [new StepApproval { Step = "rolback", By = "carol" }];
        var once = Apply(Escalated(spec), spec, 25);
        var twice = Apply(once.Status, spec, 30);

        Assert.NotEmpty(once.Changes);
        Assert.Empty(twice.Changes);
        Assert.Equal(Json(once.Status), Json(twice.Status));
    }

    [Fact]
    public void A_hand_back_returns_a_held_incident_to_automation_with_a_fresh_episode_for_the_runbook()
    {
        var spec = Spec();
        var escalated = Escalated(spec);
        escalated.Actions = [ActionRecords.New("rollback", ActionType.RolloutUndo, 1, ActionPhase.Failed, "did not help", Clock.At(5))];
        spec.Acknowledgement = new PersonRequest { By = "bob", At = Clock.At(20).UtcDateTime };
        var held = Apply(escalated, spec, 21).Status;
        spec.Handback = new PersonRequest { By = "bob", At = Clock.At(40).UtcDateTime, Reason = "config fixed, try again" };
        var outcome = Apply(held, spec, 41);

        Assert.Equal(IncidentPhase.Detected, outcome.Status.Phase);
        Assert.True(outcome.RunbookMayAct);
        Assert.Null(outcome.Status.People!.HeldBy);
        Assert.Equal(Clock.At(40).UtcDateTime, outcome.Status.People.HandedBackAt);
        Assert.Equal(("False", "False"), (Condition(outcome.Status, Conditions.Escalated), Condition(outcome.Status, PeopleConditions.Acknowledged)));
        // The failed rollback stays in the record (guardrails count it) but no longer in the runbook's episode.
        Assert.Single(outcome.Status.Actions!);
        Assert.Empty(ActionRecords.CurrentEpisode(outcome.Status));
        Assert.Contains(outcome.Status.Timeline!, e => e.Message == "Handed back: handed back to automation by bob: config fixed, try again; the runbook runs again");
    }

    [Fact]
    public void An_old_hand_back_does_not_undo_a_later_escalation_and_an_old_acknowledgement_does_not_take_it_again()
    {
        var spec = Spec();
        spec.Acknowledgement = new PersonRequest { By = "bob", At = Clock.At(20).UtcDateTime };
        spec.Handback = new PersonRequest { By = "bob", At = Clock.At(40).UtcDateTime };
        var handedBack = Apply(Apply(Escalated(spec), spec, 21).Status, spec, 41).Status;
        var escalatedAgain = IncidentStateMachine.Apply(handedBack, new IncidentEvent.Escalated(Conditions.Reasons.StepsExhausted, "again"), Clock.At(60));

        var outcome = Apply(escalatedAgain, spec, 61);

        Assert.Equal(IncidentPhase.Escalated, outcome.Status.Phase);
        Assert.Empty(outcome.Changes);
    }

    [Fact]
    public void A_hand_back_of_an_incident_automation_holds_is_noted_and_spent()
    {
        var spec = Spec();
        spec.Handback = new PersonRequest { By = "bob", At = Clock.At(5).UtcDateTime };
        var outcome = Apply(Opened(spec), spec, 6);

        Assert.Equal(IncidentPhase.Detected, outcome.Status.Phase);
        Assert.Equal(Clock.At(5).UtcDateTime, outcome.Status.People!.HandedBackAt);
        var escalated = IncidentStateMachine.Apply(outcome.Status, new IncidentEvent.Escalated("X", "later"), Clock.At(10));
        Assert.Equal(IncidentPhase.Escalated, Apply(escalated, spec, 11).Status.Phase);
    }

    [Theory]
    [InlineData(ResolutionOutcome.Resolved, IncidentPhase.Resolved, "Resolved: resolved by carol: payments vendor recovered")]
    [InlineData(ResolutionOutcome.Cancelled, IncidentPhase.Cancelled, "Cancelled: cancelled by carol as a false alarm: payments vendor recovered")]
    public void A_resolution_closes_the_incident_with_who_and_why(ResolutionOutcome outcome, IncidentPhase phase, string line)
    {
        var spec = Spec();
        spec.Acknowledgement = new PersonRequest { By = "bob" };
        spec.Resolution = new IncidentResolution { Outcome = outcome, By = "carol", Reason = "payments vendor recovered", At = Clock.At(30).UtcDateTime };
        var status = Apply(Escalated(spec), spec, 31).Status;

        Assert.Equal(phase, status.Phase);
        Assert.Equal(Clock.At(31).UtcDateTime, status.ResolvedAt);
        Assert.Equal(("carol", "payments vendor recovered"), (status.People!.ClosedBy, status.People.ClosedReason));
        Assert.Null(status.People.HeldBy);
        Assert.Equal("True", Condition(status, Conditions.Resolved));
        Assert.Equal(line, status.Timeline![^1].Message);
    }

    [Fact]
    public void A_reopen_later_than_the_resolution_opens_the_incident_again_once_and_the_old_resolution_does_not_close_it()
    {
        var spec = Spec();
        spec.Resolution = new IncidentResolution { Outcome = ResolutionOutcome.Resolved, By = "carol", Reason = "fixed", At = Clock.At(30).UtcDateTime };
        var closed = Apply(Opened(spec), spec, 31).Status;
        spec.Reopen = new PersonRequest { By = "dan", At = Clock.At(50).UtcDateTime, Reason = "errors are back" };

        var reopened = Apply(closed, spec, 51);
        Assert.Equal(IncidentPhase.Detected, reopened.Status.Phase);
        Assert.Null(reopened.Status.ResolvedAt);
        Assert.Null(reopened.Status.People!.ClosedBy);
        Assert.Equal(Clock.At(50).UtcDateTime, reopened.Status.People.ReopenedAt);
        Assert.Equal("Reopened: reopened by dan: errors are back", reopened.Status.Timeline![^1].Message);
        Assert.Empty(Apply(reopened.Status, spec, 60).Changes);

        // A new resolution, later than the reopen, closes it again.
        spec.Resolution = new IncidentResolution { Outcome = ResolutionOutcome.Resolved, By = "carol", Reason = "really fixed", At = Clock.At(70).UtcDateTime };
        Assert.Equal(IncidentPhase.Resolved, Apply(reopened.Status, spec, 71).Status.Phase);
    }

    [Fact]
    public void A_reopen_older_than_the_resolution_leaves_the_incident_closed()
    {
        var spec = Spec();
        spec.Reopen = new PersonRequest { By = "dan", At = Clock.At(10).UtcDateTime };
        spec.Resolution = new IncidentResolution { Outcome = ResolutionOutcome.Resolved, By = "carol", Reason = "fixed", At = Clock.At(30).UtcDateTime };

        Assert.Equal(IncidentPhase.Resolved, Apply(Apply(Opened(spec), spec, 31).Status, spec, 40).Status.Phase);
    }

    [Fact]
    public void A_persons_regrade_wins_and_the_timeline_says_who_and_why()
    {
        var spec = Spec();
        spec.Regrade = new SeverityRegrade { Severity = Severity.Sev1, By = "carol", Reason = "all checkouts fail" };
        var status = Apply(Opened(spec), spec, 5).Status;

        Assert.Equal(Severity.Sev1, status.Severity);
        Assert.Equal((TimelineEntryType.Triaged, "severity set to SEV-1 (was SEV-3) by carol: all checkouts fail"),
            (status.Timeline![^1].Type, status.Timeline[^1].Message));
    }

    [Fact]
    public void Each_note_goes_into_the_timeline_once()
    {
        var spec = Spec();
        spec.Notes = [new PersonNote { By = "dan", At = Clock.At(2).UtcDateTime, Text = "vendor paged" }];
        var first = Apply(Opened(spec), spec, 3).Status;
        spec.Notes.Add(new PersonNote { By = "erin", At = Clock.At(4).UtcDateTime, Text = "status page updated" });
        var second = Apply(first, spec, 5).Status;

        var notes = second.Timeline!.Where(e => e.Type == TimelineEntryType.Note).Select(e => e.Message).ToList();
        Assert.Equal(["dan: vendor paged", "erin: status page updated"], notes);
        Assert.Equal(2, second.People!.NotesRecorded);
    }

    [Fact]
    public void An_approval_of_a_step_the_runbook_does_not_have_is_called_out_until_it_is_corrected()
    {
        var spec = Spec();
        spec.Approvals = [new StepApproval { Step = "rolback", By = "carol" }];
        var wrong = Apply(Opened(spec), spec, 5);

        Assert.Equal("False", Condition(wrong.Status, PeopleConditions.ApprovalsValid));
        var message = StatusConditions.Find(wrong.Status.Conditions, PeopleConditions.ApprovalsValid)!.Message;
        Assert.Equal("spec.approvals names rolback (approved by carol), which runbook bad-rollout does not have; its steps are: rollback, escalate", message);
        Assert.Equal(PeopleConditions.Reasons.UnknownStep, Assert.Single(wrong.Changes).Reason);

        spec.Approvals = [new StepApproval { Step = "rollback", By = "carol" }];
        Assert.Equal("True", Condition(Apply(wrong.Status, spec, 6).Status, PeopleConditions.ApprovalsValid));
    }

    [Fact]
    public void An_incident_not_yet_opened_is_left_to_its_declaration()
    {
        var spec = Spec();
        spec.Acknowledgement = new PersonRequest { By = "bob" };
        var outcome = PeopleLifecycle.Apply(null, spec, Steps, "bad-rollout", Clock.T0);

        Assert.Null(outcome.Status.Phase);
        Assert.Empty(outcome.Changes);
        Assert.False(outcome.RunbookMayAct);
    }
}
