using System.Text.Json;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Guardrails;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Revisions;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Decisions;

public sealed class IncidentDeciderTests
{
    private static readonly ReplicaSetObservation Good = ReplicaSet(2, Clock.T0.AddDays(-3), replicas: 2, ready: 2);
    private static readonly ReplicaSetObservation Bad = ReplicaSet(3, Clock.At(-60), replicas: 2, ready: 0);
    private static readonly RevisionHistory History = new(ValueList.Of(new RevisionRecord(2, Clock.T0.AddDays(-3), null, TimeSpan.FromDays(3))));

    private static RunbookSpec Runbook() => new()
    {
        Title = "Bad rollout",
        Signals = [SignalType.CrashLoop],
        Steps =
        [
            Runbooks.Step("rollback", ActionType.RolloutUndo, new StepCondition { RecentRollout = true }),
            Runbooks.Step("page", ActionType.Escalate),
        ],
        Escalation = new Escalation { Contacts = ["@web-oncall"] },
    };

    private static IncidentContext Context(
        IncidentStatus? status = null, EffectivePolicy? policy = null, DeploymentObservation? deployment = null,
        IReadOnlyCollection<string>? approvals = null, IReadOnlyList<ActionHistoryEntry>? history = null)
    {
        var observed = new DetectionInput(deployment ?? RollingOut(), [Good, Bad],
            [HealthyPod("good-1", 2), HealthyPod("good-2", 2), CrashLooping("bad-1", 3), CrashLooping("bad-2", 3)]);
        var detection = RolloutFailureDetector.Detect(observed, DetectionThresholds.Default with { HoldFor = TimeSpan.Zero }, HysteresisState.Empty, Clock.T0);
        return new IncidentContext("inc-1", Namespace, approvals ?? [], status ?? IncidentStory.Through(1), Runbook(), policy ?? Guards.ShopPolicy,
            observed, detection, History, history ?? [], []);
    }

    private static IncidentDecision Decide(IncidentContext context) => IncidentDecider.Decide(context, Clock.At(1));

    [Fact]
    public void Automatic_mode_writes_the_intent_and_asks_for_the_rollback()
    {
        var decision = Decide(Context());
        var action = Assert.Single(decision.Status.Actions!);
        Assert.Equal((ActionPhase.Pending, "2", "web-h2"), (action.Phase, action.Details!["toRevision"], action.Details["toReplicaSet"]));
        Assert.StartsWith("roll back web to revision 2: last known good", action.Message, StringComparison.Ordinal);
        var effect = Assert.IsType<Effect.RollBack>(Assert.Single(decision.Effects));
        Assert.Equal((Good, "inc-1/rollback", false), (effect.To, effect.ActionAnnotation, effect.DryRun));
    }

    [Fact]
    public void Deciding_twice_on_the_same_observation_gives_the_same_status_and_the_same_effect()
    {
        var first = Decide(Context());
        var second = Decide(Context(first.Status));
        Assert.Equal(JsonSerializer.Serialize(first.Status), JsonSerializer.Serialize(second.Status));
        Assert.Equal(first.Effects, second.Effects);
    }

    [Fact]
    public void Dry_run_mode_records_the_would_be_rollback_and_asks_for_a_server_side_dry_run()
    {
        var decision = Decide(Context(policy: Guards.ShopPolicy with { Modes = new ModeTable(RemediationMode.DryRun) }));
        var action = Assert.Single(decision.Status.Actions!);
        Assert.Equal(ActionPhase.DryRun, action.Phase);
        Assert.StartsWith("would roll back web to revision 2", action.Message, StringComparison.Ordinal);
        Assert.True(Assert.IsType<Effect.RollBack>(Assert.Single(decision.Effects)).DryRun);

        // The shell's server-side result lands in the same record.
        var withResult = IncidentStateMachine.Apply(decision.Status, new IncidentEvent.DryRunRecorded("rollback", ActionType.RolloutUndo, 1, "server",
            new Dictionary<string, string> { ["dryRunResult"] = "accepted" }), Clock.At(2));
        Assert.Equal("accepted", Assert.Single(withResult.Actions!).Details!["dryRunResult"]);
    }

    [Fact]
    public void Require_approval_waits_and_acts_once_the_step_is_approved()
    {
        var policy = Guards.ShopPolicy with { Modes = new ModeTable(RemediationMode.RequireApproval) };
        var waiting = Decide(Context(policy: policy));
        Assert.Equal(IncidentPhase.AwaitingApproval, waiting.Status.Phase);
        Assert.Empty(waiting.Effects);
        Assert.Empty(Decide(Context(waiting.Status, policy)).Effects);

        var approved = Decide(Context(waiting.Status, policy, approvals: ["rollback"]));
        Assert.Equal(IncidentPhase.Mitigating, approved.Status.Phase);
        Assert.Equal(ActionPhase.Pending, Assert.Single(approved.Status.Actions!).Phase);
        Assert.IsType<Effect.RollBack>(Assert.Single(approved.Effects));
    }

    [Fact]
    public void A_paused_deployment_is_refused_with_the_reason_in_the_timeline()
    {
        var decision = Decide(Context(deployment: RollingOut() with { Paused = true }));
        Assert.Empty(decision.Effects);
        Assert.Null(decision.Status.Actions);
        Assert.Contains("[deployment-paused] refused: Deployment web is paused", decision.Status.Timeline![^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_circuit_breaker_escalates_and_notifies()
    {
        var failures = new[] { Guards.Past(120, ActionPhase.Failed), Guards.Past(60, ActionPhase.Failed) };
        var decision = Decide(Context(history: failures));
        Assert.Equal(IncidentPhase.Escalated, decision.Status.Phase);
        Assert.Equal(Conditions.Reasons.CircuitBreakerOpen, StatusConditions.Find(decision.Status.Conditions, Conditions.Escalated)!.Reason);
        Assert.Contains("@web-oncall", Assert.IsType<Effect.Notify>(Assert.Single(decision.Effects)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_that_already_matches_is_skipped_and_the_runbook_moves_on()
    {
        var decision = Decide(Context(deployment: RollingOut() with { Template = Good.Template }));
        var action = Assert.Single(decision.Status.Actions!);
        Assert.Equal(ActionPhase.Skipped, action.Phase);
        Assert.Equal("skipped: the Deployment's template already matches revision 2", action.Message);
        Assert.Empty(decision.Effects);

        var next = Decide(Context(decision.Status));
        Assert.Equal(IncidentPhase.Escalated, next.Status.Phase);
        Assert.Contains("step page", next.Status.Timeline![^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_rollback_follows_the_runbook_to_escalation()
    {
        var running = IncidentStateMachine.ApplyAll(IncidentStory.Through(1), [IncidentStory.Intent(), IncidentStory.Applied(), IncidentStory.Failed()], Clock.At(1));
        var decision = Decide(Context(running));
        Assert.Equal(IncidentPhase.Escalated, decision.Status.Phase);
        Assert.Equal(IncidentDecider.EscalatedByStepReason, StatusConditions.Find(decision.Status.Conditions, Conditions.Escalated)!.Reason);
    }

    [Fact]
    public void Verification_keeps_its_healthy_stretch_in_the_record_and_fails_at_the_timeout()
    {
        var running = IncidentStory.Through(3);
        var healthy = Deployment(revision: 4) with { Template = Good.Template };
        var observed = new DetectionInput(healthy, [Good with { Revision = 4, Replicas = 4, ReadyReplicas = 4 }],
            [.. Enumerable.Range(1, 4).Select(i => HealthyPod($"p{i}", 2))]);
        var detection = RolloutFailureDetector.Detect(observed, DetectionThresholds.Default, HysteresisState.Empty, Clock.At(10));
        var context = Context(running) with { Observed = observed, Detection = detection };

        var progress = IncidentDecider.Decide(context, Clock.At(10));
        Assert.Equal("2026-01-01T12:00:10Z", progress.Status.Actions![0].Details![ActionRecords.HealthySinceKey]);
        var passed = IncidentDecider.Decide(context with { Status = progress.Status }, Clock.At(40));
        Assert.Equal(IncidentPhase.Mitigated, passed.Status.Phase);

        var stillFailing = IncidentDecider.Decide(Context(running), Clock.At(301));
        Assert.Equal(ActionPhase.Failed, stillFailing.Status.Actions![0].Phase);
        Assert.StartsWith("timed out after 5m0s", stillFailing.Status.Actions[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mitigated_incident_resolves_when_healthy_and_escalates_when_the_failure_returns()
    {
        var mitigated = IncidentStory.Through(4);
        var healthy = new DetectionInput(Deployment(revision: 4) with { Template = Good.Template },
            [Good with { Revision = 4, Replicas = 4, ReadyReplicas = 4 }], [.. Enumerable.Range(1, 4).Select(i => HealthyPod($"p{i}", 2))]);
        var calm = RolloutFailureDetector.Detect(healthy, DetectionThresholds.Default, HysteresisState.Empty, Clock.At(60));
        var resolved = IncidentDecider.Decide(Context(mitigated) with { Observed = healthy, Detection = calm }, Clock.At(60));
        Assert.Equal(IncidentPhase.Resolved, resolved.Status.Phase);
        Assert.True(resolved.Status.Signals!.All(s => s.Cleared == true));

        var relapsing = healthy with { Pods = [.. Enumerable.Range(1, 4).Select(i => CrashLooping($"p{i}", 2))] };
        var storm = RolloutFailureDetector.Detect(relapsing, DetectionThresholds.Default with { HoldFor = TimeSpan.Zero }, HysteresisState.Empty, Clock.At(60));
        var escalated = IncidentDecider.Decide(Context(mitigated) with { Observed = relapsing, Detection = storm }, Clock.At(60));
        Assert.Equal(IncidentPhase.Escalated, escalated.Status.Phase);
        Assert.Equal(IncidentDecider.RelapsedReason, StatusConditions.Find(escalated.Status.Conditions, Conditions.Escalated)!.Reason);
    }

    [Theory]
    [InlineData(IncidentPhase.Resolved)]
    [InlineData(IncidentPhase.Escalated)]
    public void Closed_and_escalated_incidents_are_left_alone(IncidentPhase phase)
    {
        var status = IncidentStory.Through(1);
        status.Phase = phase;
        var decision = Decide(Context(status));
        Assert.Empty(decision.Events);
        Assert.Empty(decision.Effects);
    }
}
