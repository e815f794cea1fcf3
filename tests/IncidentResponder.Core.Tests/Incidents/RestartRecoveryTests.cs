using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.IncidentStory;

namespace IncidentResponder.Core.Tests.Incidents;

/// <summary>
/// The operator is killed at every step boundary of a rollback; on restart it must neither act twice nor forget to act.
/// Boundaries: 0 detected (no incident), 1 incident created, 2 intent written, 2+patch applied, 3 recorded as running,
/// 4 verified, 5 resolved.
/// </summary>
public sealed class RestartRecoveryTests
{
    private const string Ours = "inc-1/rollback";
    private static readonly PodTemplateSummary Failing = Cluster.Template(3);
    private static readonly PodTemplateSummary Good = Cluster.Template(2);

    private static RecoveryDecision Decide(IncidentStatus status, string? annotation, PodTemplateSummary current) =>
        RestartRecovery.Decide("inc-1", status, annotation, current, Good);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Before_any_intent_there_is_nothing_to_recover(int boundary) =>
        Assert.Equal(RecoveryKind.NothingInFlight, Decide(Through(boundary), null, Failing).Kind);

    [Fact]
    public void Killed_after_the_intent_before_the_patch_applies_once()
    {
        var decision = Decide(Through(2), null, Failing);
        Assert.Equal(RecoveryKind.ApplyOnce, decision.Kind);
        Assert.Equal("rollback", decision.Action!.Step);
        Assert.Equal("step rollback was intended but not applied (the target's incidentresponder.dev/action is absent); applying it once", decision.Reason);
    }

    [Fact]
    public void Killed_after_the_patch_before_recording_marks_running_and_does_not_act_again()
    {
        var decision = Decide(Through(2), Ours, Good);
        Assert.Equal(RecoveryKind.AlreadyApplied, decision.Kind);
        var recovered = IncidentStateMachine.Apply(Through(2), decision.Event!, Clock.At(5));
        Assert.Equal(ActionPhase.Running, recovered.Actions![0].Phase);

        // Once recorded, a second restart continues verification: still exactly one rollback.
        Assert.Equal(RecoveryKind.ContinueVerification, Decide(recovered, Ours, Good).Kind);
    }

    [Fact]
    public void Killed_while_verifying_continues_verification() =>
        Assert.Equal(RecoveryKind.ContinueVerification, Decide(Through(3), Ours, Good).Kind);

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void After_verification_nothing_is_in_flight(int boundary) =>
        Assert.Equal(RecoveryKind.NothingInFlight, Decide(Through(boundary), Ours, Good).Kind);

    [Fact]
    public void Another_incidents_annotation_does_not_count_as_applied()
    {
        var decision = Decide(Through(2), "inc-0/rollback", Good);
        Assert.Equal(RecoveryKind.ApplyOnce, decision.Kind);
        Assert.Contains("'inc-0/rollback'", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Our_annotation_with_another_template_is_an_earlier_attempt_so_apply_once()
    {
        // Attempt 1 left the annotation; attempt 2's intent is written but its patch is not applied.
        var decision = Decide(Through(2), Ours, Failing);
        Assert.Equal(RecoveryKind.ApplyOnce, decision.Kind);
        Assert.Contains("template differs", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Actions_without_a_template_are_judged_by_the_annotation_alone()
    {
        Assert.Equal(RecoveryKind.AlreadyApplied, RestartRecovery.Decide("inc-1", Through(2), Ours, Failing, null).Kind);
        Assert.Equal(RecoveryKind.ApplyOnce, RestartRecovery.Decide("inc-1", Through(2), null, Failing, null).Kind);
    }

    [Fact]
    public void Template_fingerprints_decide_when_both_sides_have_one()
    {
        var current = Good with { Fingerprint = "abc" };
        Assert.Equal(RecoveryKind.AlreadyApplied, RestartRecovery.Decide("inc-1", Through(2), Ours, current, Good with { Fingerprint = "abc" }).Kind);
        Assert.Equal(RecoveryKind.ApplyOnce, RestartRecovery.Decide("inc-1", Through(2), Ours, current, Good with { Fingerprint = "def" }).Kind);
    }

    [Fact]
    public void The_annotation_value_names_incident_and_step() => Assert.Equal(Ours, RestartRecovery.AnnotationValue("inc-1", "rollback"));

    [Fact]
    public void A_later_attempt_names_its_attempt_so_an_earlier_attempts_marker_is_not_taken_for_it()
    {
        Assert.Equal("inc-1/rollback/2", RestartRecovery.AnnotationValue("inc-1", "rollback", 2));
        Assert.Equal(Ours, RestartRecovery.AnnotationValue("inc-1", "rollback", 1));

        // Attempt 2 (after a reopen) of an action judged by the annotation alone, killed before its patch.
        var secondIntent = IncidentStateMachine.ApplyAll(Through(5), [
            new IncidentEvent.Reopened(ImagePull, "resolved 2m0s ago"), Intent(attempt: 2)], Clock.At(220));
        Assert.Equal(RecoveryKind.ApplyOnce, RestartRecovery.Decide("inc-1", secondIntent, Ours, Failing, null).Kind);
        Assert.Equal(RecoveryKind.AlreadyApplied, RestartRecovery.Decide("inc-1", secondIntent, "inc-1/rollback/2", Failing, null).Kind);
    }
}
