using System.Text.Json;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.IncidentStory;

namespace IncidentResponder.Core.Tests.Incidents;

public sealed class IncidentStateMachineTests
{
    private static string Json(IncidentStatus status) => JsonSerializer.Serialize(status);

    private static IncidentStatus Apply(IncidentStatus status, IncidentEvent e, double at) => IncidentStateMachine.Apply(status, e, Clock.At(at));

    [Fact]
    public void Opening_records_detection_triage_and_evidence()
    {
        var status = Through(1);
        Assert.Equal(IncidentPhase.Detected, status.Phase);
        Assert.Equal(Severity.Sev2, status.Severity);
        Assert.Equal(Clock.At(-20).UtcDateTime, status.DetectedAt);
        Assert.Equal(Clock.T0.UtcDateTime, status.OpenedAt);
        Assert.Equal("20s", status.TimeToDetect);
        Assert.Equal(Crash.Fingerprint, Assert.Single(status.Signals!).Fingerprint);
        Assert.Equal(
            [
                (TimelineEntryType.Detected, "CrashLoop detected: 2/4 pods of revision 3 (web-h3) show CrashLoopBackOff"),
                (TimelineEntryType.Triaged, "SEV-2: 3 of 4 replicas unavailable"),
                (TimelineEntryType.Evidence, "revision 3 vs 2: container app: image web:2 → web:3"),
            ],
            status.Timeline!.Select(e => (e.Type, e.Message)));
    }

    [Fact]
    public void A_rollback_walks_detected_mitigating_mitigated_resolved()
    {
        Assert.Equal(IncidentPhase.Mitigating, Through(2).Phase);
        var pending = Assert.Single(Through(2).Actions!);
        Assert.Equal((ActionPhase.Pending, 1, "2"), (pending.Phase, pending.Attempt, pending.Details!["toRevision"]));

        Assert.Equal(ActionPhase.Running, Through(3).Actions![0].Phase);

        var mitigated = Through(4);
        Assert.Equal(IncidentPhase.Mitigated, mitigated.Phase);
        Assert.Equal(ActionPhase.Succeeded, mitigated.Actions![0].Phase);
        Assert.Equal(Clock.At(40).UtcDateTime, mitigated.MitigatedAt);
        Assert.Equal("1m0s", mitigated.TimeToMitigate);
        Assert.Equal("True", StatusConditions.Find(mitigated.Conditions, Conditions.Mitigated)!.Status);
        Assert.Equal("False", StatusConditions.Find(mitigated.Conditions, Conditions.Acting)!.Status);

        var resolved = Through(5);
        Assert.Equal(IncidentPhase.Resolved, resolved.Phase);
        Assert.Equal(Clock.At(100).UtcDateTime, resolved.ResolvedAt);
        Assert.Equal("True", StatusConditions.Find(resolved.Conditions, Conditions.Resolved)!.Status);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Applying_the_same_event_again_changes_nothing(int boundary)
    {
        var status = Through(boundary);
        var events = new[] { Opened(), Intent(), Applied(), Passed(), new IncidentEvent.Resolved("signal cleared for 1m0s") };
        var again = IncidentStateMachine.Apply(status, events[boundary - 1], Clock.At(500));
        Assert.Equal(Json(status), Json(again));
    }

    [Fact]
    public void Apply_never_changes_its_input()
    {
        var status = Through(2);
        var before = Json(status);
        _ = Apply(status, Applied(), 5);
        Assert.Equal(before, Json(status));
    }

    [Fact]
    public void A_failed_verification_keeps_mitigating_and_a_new_attempt_is_a_new_record()
    {
        var status = Apply(Through(3), Failed(), 300);
        Assert.Equal(IncidentPhase.Mitigating, status.Phase);
        Assert.Equal(ActionPhase.Failed, status.Actions![0].Phase);
        status = Apply(status, Intent(attempt: 2), 301);
        Assert.Equal([ActionPhase.Failed, ActionPhase.Pending], status.Actions!.Select(a => a.Phase));
    }

    [Fact]
    public void Outcomes_only_follow_the_phase_before_them()
    {
        // Verification of an action that was never applied is ignored: the record cannot skip Running.
        Assert.Equal(Json(Through(2)), Json(Apply(Through(2), Passed(), 5)));
        Assert.Equal(Json(Through(1)), Json(Apply(Through(1), Applied(), 5)));
    }

    [Fact]
    public void A_new_signal_joins_once()
    {
        var joined = Apply(Through(2), new IncidentEvent.SignalObserved(ImagePull), 5);
        Assert.Equal(2, joined.Signals!.Count);
        Assert.Equal("ImagePull joined the incident: 2/4 pods of revision 3 (web-h3) show ImagePullBackOff", joined.Timeline![^1].Message);
        Assert.Equal(Json(joined), Json(Apply(joined, new IncidentEvent.SignalObserved(ImagePull), 9)));
    }

    [Fact]
    public void Cleared_and_returning_signals_are_recorded_once_each()
    {
        var cleared = Apply(Through(4), new IncidentEvent.SignalCleared(Crash.Fingerprint), 60);
        Assert.True(cleared.Signals![0].Cleared);
        Assert.Equal(Json(cleared), Json(Apply(cleared, new IncidentEvent.SignalCleared(Crash.Fingerprint), 61)));
        var back = Apply(cleared, new IncidentEvent.SignalObserved(Crash), 70);
        Assert.Null(back.Signals![0].Cleared);
        Assert.StartsWith("CrashLoop observed again", back.Timeline![^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dry_run_records_the_result_and_changes_no_phase()
    {
        var status = Apply(Through(1), new IncidentEvent.DryRunRecorded("rollback", ActionType.RolloutUndo, 1, "would roll back to revision 2",
            new Dictionary<string, string> { ["dryRunResult"] = "spec.template.spec.containers[0].image: web:3 → web:2" }), 1);
        var action = Assert.Single(status.Actions!);
        Assert.Equal(ActionPhase.DryRun, action.Phase);
        Assert.NotNull(action.FinishedAt);
        Assert.Equal(IncidentPhase.Detected, status.Phase);
        Assert.Equal("step rollback dry run: would roll back to revision 2", status.Timeline![^1].Message);
    }

    [Fact]
    public void Approval_flow_waits_then_the_intent_takes_over_the_waiting_record()
    {
        var waiting = Apply(Through(1), new IncidentEvent.ApprovalRequested("rollback", ActionType.RolloutUndo, 1, "awaiting approval: add \"rollback\""), 1);
        Assert.Equal(IncidentPhase.AwaitingApproval, waiting.Phase);
        Assert.Equal(ActionPhase.AwaitingApproval, Assert.Single(waiting.Actions!).Phase);
        Assert.Equal(Json(waiting), Json(Apply(waiting, new IncidentEvent.ApprovalRequested("rollback", ActionType.RolloutUndo, 1, "again"), 30)));

        var approved = Apply(waiting, Intent(), 60);
        var action = Assert.Single(approved.Actions!);
        Assert.Equal((ActionPhase.Pending, Clock.At(60).UtcDateTime), (action.Phase, action.StartedAt!.Value));
        Assert.Equal(IncidentPhase.Mitigating, approved.Phase);
    }

    [Fact]
    public void A_refusal_streak_is_one_timeline_entry()
    {
        var refused = Apply(Through(1), new IncidentEvent.GuardrailRefused("rollback", "cooldown", "refused: cooldown; 3m0s ago"), 1);
        var again = Apply(refused, new IncidentEvent.GuardrailRefused("rollback", "cooldown", "refused: cooldown; 4m0s ago"), 60);
        Assert.Equal(Json(refused), Json(again));
        Assert.Equal("step rollback [cooldown] refused: cooldown; 3m0s ago", again.Timeline![^1].Message);
        Assert.Equal(Conditions.Reasons.GuardrailBlocked, StatusConditions.Find(again.Conditions, Conditions.Acting)!.Reason);

        var other = Apply(again, new IncidentEvent.GuardrailRefused("rollback", "max-actions-per-target", "refused: 3 actions"), 61);
        Assert.Equal(again.Timeline!.Count + 1, other.Timeline!.Count);
    }

    [Fact]
    public void Escalation_is_final_for_the_operator()
    {
        var escalated = Apply(Through(3), new IncidentEvent.Escalated(Conditions.Reasons.CircuitBreakerOpen, "circuit breaker open"), 10);
        Assert.Equal(IncidentPhase.Escalated, escalated.Phase);
        Assert.Equal("True", StatusConditions.Find(escalated.Conditions, Conditions.Escalated)!.Status);
        Assert.Equal(IncidentPhase.Escalated, Apply(escalated, Passed(), 50).Phase);
        Assert.Equal(Json(escalated), Json(Apply(escalated, new IncidentEvent.Escalated("X", "again"), 11)));
    }

    [Fact]
    public void Severity_change_is_recorded_once()
    {
        var worse = Apply(Through(1), new IncidentEvent.SeverityChanged(new SeverityAssessment(Severity.Sev1, "SEV-1: no ready replicas of 4")), 5);
        Assert.Equal(Severity.Sev1, worse.Severity);
        Assert.Equal("severity changed: SEV-1: no ready replicas of 4", worse.Timeline![^1].Message);
        Assert.Equal(Json(worse), Json(Apply(worse, new IncidentEvent.SeverityChanged(new SeverityAssessment(Severity.Sev1, "x")), 6)));
    }

    [Fact]
    public void Reopening_starts_a_new_episode_for_the_runbook_but_keeps_the_history()
    {
        var reopened = Apply(Through(5), new IncidentEvent.Reopened(ImagePull, "resolved 2m0s ago"), 220);
        Assert.Equal(IncidentPhase.Detected, reopened.Phase);
        Assert.Null(reopened.ResolvedAt);
        Assert.Null(reopened.MitigatedAt);
        Assert.Equal(Clock.At(-20).UtcDateTime, reopened.DetectedAt);
        Assert.Single(reopened.Actions!);
        Assert.Empty(ActionRecords.CurrentEpisode(reopened));
        Assert.Single(ActionRecords.CurrentEpisode(Through(5)));

        var retried = Apply(reopened, Intent(attempt: 2), 221);
        Assert.Equal("rollback", Assert.Single(ActionRecords.CurrentEpisode(retried)).Step);
        Assert.Equal(Json(reopened), Json(Apply(reopened, new IncidentEvent.Reopened(ImagePull, "again"), 222)));
    }

    [Fact]
    public void Notes_are_recorded_as_succeeded_note_actions()
    {
        var noted = Apply(Through(1), new IncidentEvent.NoteRecorded("announce", 1, "SEV-2 declared; next update in 30m"), 1);
        var action = Assert.Single(noted.Actions!);
        Assert.Equal((ActionType.Note, ActionPhase.Succeeded), (action.Type, action.Phase));
        Assert.Equal((TimelineEntryType.Note, "SEV-2 declared; next update in 30m"), (noted.Timeline![^1].Type, noted.Timeline[^1].Message));
    }

    [Fact]
    public void Skipped_action_is_finished_with_its_reason()
    {
        var skipped = Apply(Through(2), new IncidentEvent.ActionSkipped("rollback", 1, "skipped: the template already matches revision 2"), 2);
        Assert.Equal(ActionPhase.Skipped, skipped.Actions![0].Phase);
        Assert.Equal("skipped: the template already matches revision 2", skipped.Actions[0].Message);
    }

    [Fact]
    public void Verification_progress_is_kept_with_the_action_until_it_finishes()
    {
        var progress = Apply(Through(3), new IncidentEvent.VerificationProgress("rollback", 1, Clock.At(10)), 10);
        Assert.Equal("2026-01-01T12:00:10Z", progress.Actions![0].Details![ActionRecords.HealthySinceKey]);
        var reset = Apply(progress, new IncidentEvent.VerificationProgress("rollback", 1, null), 20);
        Assert.False(reset.Actions![0].Details!.ContainsKey(ActionRecords.HealthySinceKey));
        var passed = Apply(progress, Passed(), 40);
        Assert.False(passed.Actions![0].Details!.ContainsKey(ActionRecords.HealthySinceKey));
    }

    [Fact]
    public void The_timeline_stays_bounded_however_long_the_incident()
    {
        var status = Through(1);
        for (var i = 0; i < 300; i++)
        {
            status = Apply(status, new IncidentEvent.GuardrailRefused("rollback", i % 2 == 0 ? "cooldown" : "max-actions-per-target", $"refused {i}"), i);
        }

        Assert.Equal(BoundedTimeline.MaxEntries, status.Timeline!.Count);
        Assert.Equal(TimelineEntryType.Detected, status.Timeline[0].Type);
        // 3 opening entries + 300 refusals = 303; kept: the Detected entry, the note and the newest 98.
        Assert.Equal("204 earlier entries omitted", status.Timeline[1].Message);
        Assert.Equal("step rollback [max-actions-per-target] refused 299", status.Timeline[^1].Message);
    }
}
