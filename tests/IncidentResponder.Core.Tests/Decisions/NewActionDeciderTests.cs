using System.Text.Json;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Tests.Fixtures;

namespace IncidentResponder.Core.Tests.Decisions;

/// <summary>Scale, RaiseMemoryLimit, FeatureFlag and RestartRollout through the decider: the same guardrails and records as RolloutUndo.</summary>
public sealed class NewActionDeciderTests
{
    private static readonly EffectivePolicy Policy = Guards.ShopPolicy with
    {
        Caps = ActionCaps.Default with { MaxReplicas = 10, AllowedFlags = new HashSet<string> { "payment_service" } },
    };

    private static readonly FeatureFlagAction Flag = new()
    {
        Flag = "payment_service", Value = "false", Provider = FeatureFlagProviderType.ConfigMap,
        ConfigMap = new ConfigMapFlagProvider { Name = "feature-flags" }, RevertOnResolve = true,
    };

    private static RunbookSpec Runbook(RunbookAction action) => new()
    {
        Title = "One action",
        Signals = [SignalType.OOMKilled],
        Steps = [new RunbookStep { Name = "act", Action = action }, Runbooks.Step("page", ActionType.Escalate)],
    };

    private static readonly RunbookAction Raise = new() { Type = ActionType.RaiseMemoryLimit, RaiseMemoryLimit = new RaiseMemoryLimitAction { Factor = 1.5 } };
    private static readonly RunbookAction ScaleOut = new() { Type = ActionType.Scale, Scale = new ScaleAction { Delta = 2, ScaleBackOnResolve = true } };
    private static readonly RunbookAction FlipFlag = new() { Type = ActionType.FeatureFlag, FeatureFlag = Flag };
    private static readonly RunbookAction Restart = new() { Type = ActionType.RestartRollout };

    private static IncidentContext Context(RunbookAction action, EffectivePolicy? policy = null, IncidentStatus? status = null,
        DeploymentObservation? deployment = null, ActionObservations? observations = null, IReadOnlyList<Core.Guardrails.ActionHistoryEntry>? history = null) =>
        Exhausted.Context(Runbook(action), policy ?? Policy, status, deployment, history: history, actions: observations);

    [Fact]
    public void The_intent_records_the_exact_change_and_its_originals_before_the_effect()
    {
        var decision = IncidentDecider.Decide(Context(Raise), Clock.T0);
        var action = Assert.Single(decision.Status.Actions!);
        Assert.Equal((ActionPhase.Pending, "SetMemoryLimit", "256Mi", "384Mi", "256Mi", "512Mi"),
            (action.Phase, action.Details!["change"], action.Details["fromLimit"], action.Details["toLimit"], action.Details["originalLimit"], action.Details["cap"]));
        var effect = Assert.IsType<Effect.RunAction>(Assert.Single(decision.Effects));
        Assert.Equal(("web-oom-1/act", false), (effect.ActionAnnotation, effect.DryRun));
        Assert.Equal(ActionChangeCodec.Read(action.Details, Raise), effect.Change);
        Assert.Equal(IncidentPhase.Mitigating, decision.Status.Phase);
    }

    [Fact]
    public void Deciding_twice_gives_the_same_status_and_effect()
    {
        var first = IncidentDecider.Decide(Context(ScaleOut), Clock.T0);
        var again = IncidentDecider.Decide(Context(ScaleOut), Clock.T0);
        Assert.Equal(JsonSerializer.Serialize(first.Status), JsonSerializer.Serialize(again.Status));
        Assert.Equal(first.Effects, again.Effects);
    }

    [Fact]
    public void Dry_run_records_the_would_be_change_and_asks_for_a_server_side_dry_run()
    {
        var decision = IncidentDecider.Decide(Context(ScaleOut, Policy with { Modes = new ModeTable(RemediationMode.DryRun) }), Clock.T0);
        var action = Assert.Single(decision.Status.Actions!);
        Assert.Equal((ActionPhase.DryRun, "6"), (action.Phase, action.Details!["toReplicas"]));
        Assert.StartsWith("would scale Deployment web from 4 to 6 replicas", action.Message, StringComparison.Ordinal);
        var effect = Assert.IsType<Effect.RunAction>(Assert.Single(decision.Effects));
        Assert.True(effect.DryRun);
        Assert.IsType<ActionChange.ScaleDeployment>(effect.Change);
    }

    [Fact]
    public void Dry_run_of_a_refused_change_records_why_and_asks_for_nothing()
    {
        var decision = IncidentDecider.Decide(Context(FlipFlag, Policy with { Modes = new ModeTable(RemediationMode.DryRun), Caps = ActionCaps.Default }), Clock.T0);
        Assert.StartsWith("would skip: refused by allowed-flags", Assert.Single(decision.Status.Actions!).Message, StringComparison.Ordinal);
        Assert.Empty(decision.Effects);
    }

    [Fact]
    public void A_cap_refusal_skips_the_step_with_its_reason_and_the_runbook_goes_on()
    {
        var atCap = Exhausted.Web(replicas: 10);
        var decision = IncidentDecider.Decide(Context(ScaleOut, deployment: atCap), Clock.T0);
        var action = Assert.Single(decision.Status.Actions!);
        Assert.Equal(ActionPhase.Skipped, action.Phase);
        Assert.StartsWith("skipped: refused by max-replicas: Deployment web already runs 10 replicas and the cap is 10", action.Message, StringComparison.Ordinal);
        Assert.Empty(decision.Effects);

        var next = IncidentDecider.Decide(Context(ScaleOut, status: decision.Status, deployment: atCap), Clock.At(1));
        Assert.Equal(IncidentPhase.Escalated, next.Status.Phase);
    }

    [Fact]
    public void A_flag_outside_the_allow_list_is_refused_with_a_reason()
    {
        var decision = IncidentDecider.Decide(Context(FlipFlag, Policy with { Caps = ActionCaps.Default }), Clock.T0);
        Assert.Contains("flag payment_service is not in the policy's allowedFlags (it allows none)", Assert.Single(decision.Status.Actions!).Message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cooldown")]
    [InlineData("opt-out")]
    [InlineData("policy-paused")]
    [InlineData("namespace")]
    public void The_shared_guardrails_apply_before_any_new_action(string rule)
    {
        var deployment = rule switch
        {
            "opt-out" => Exhausted.Web() with { Annotations = new Dictionary<string, string> { [WellKnown.PausedAnnotation] = "true" } },
            "namespace" => Exhausted.Web() with { Namespace = "billing" },
            _ => Exhausted.Web(),
        };
        var policy = rule == "policy-paused" ? Policy with { Paused = true } : Policy;
        var history = rule == "cooldown" ? new[] { Guards.Past(2, type: ActionType.Scale, incident: "web-oom-0") } : [];
        foreach (var action in new[] { Raise, ScaleOut, FlipFlag, Restart })
        {
            var decision = IncidentDecider.Decide(Context(action, policy, deployment: deployment, history: history), Clock.T0);
            Assert.Empty(decision.Effects);
            Assert.Null(decision.Status.Actions);
            Assert.Contains($"[{rule}] refused", decision.Status.Timeline![^1].Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_paused_deployment_refuses_a_restart_and_skips_a_memory_raise_for_scale()
    {
        var paused = Exhausted.Web() with { Paused = true };
        Assert.Contains("[deployment-paused]", IncidentDecider.Decide(Context(Restart, deployment: paused), Clock.T0).Status.Timeline![^1].Message,
            StringComparison.Ordinal);
        Assert.Contains("is paused: a new memory limit would not roll out",
            Assert.Single(IncidentDecider.Decide(Context(Raise, deployment: paused), Clock.T0).Status.Actions!).Message, StringComparison.Ordinal);
        Assert.IsType<Effect.RunAction>(Assert.Single(IncidentDecider.Decide(Context(ScaleOut, deployment: paused), Clock.T0).Effects));
    }

    [Fact]
    public void Require_approval_waits_for_the_step_name_like_a_rollback()
    {
        var policy = Policy with { Modes = new ModeTable(RemediationMode.RequireApproval) };
        var waiting = IncidentDecider.Decide(Context(FlipFlag, policy), Clock.T0);
        Assert.Equal(IncidentPhase.AwaitingApproval, waiting.Status.Phase);
        Assert.Empty(waiting.Effects);
        var approved = IncidentDecider.Decide(Exhausted.Context(Runbook(FlipFlag), policy, waiting.Status, approvals: ["act"]), Clock.At(1));
        Assert.IsType<ActionChange.FlipFlag>(Assert.IsType<Effect.RunAction>(Assert.Single(approved.Effects)).Change);
    }

    [Fact]
    public void A_restart_rollout_carries_kubectls_annotation_with_the_decision_time()
    {
        var change = Assert.IsType<ActionChange.RestartRollout>(Assert.IsType<Effect.RunAction>(Assert.Single(
            IncidentDecider.Decide(Context(Restart), Clock.At(3)).Effects)).Change);
        Assert.Equal("2026-01-01T12:00:03Z", change.RestartedAt);
    }

    [Fact]
    public void After_a_restart_a_pending_intent_applies_the_recorded_change_not_a_new_plan()
    {
        var intent = IncidentDecider.Decide(Context(ScaleOut), Clock.T0).Status;

        // The cache still shows 4 replicas: the recorded 4 → 6 is applied once more (absolute, harmless), never 6 → 8.
        var recovered = IncidentDecider.Decide(Context(ScaleOut, status: intent), Clock.At(5));
        var change = Assert.IsType<ActionChange.ScaleDeployment>(Assert.IsType<Effect.RunAction>(Assert.Single(recovered.Effects)).Change);
        Assert.Equal((4, 6), (change.FromReplicas, change.ToReplicas));

        // The change already reached the Deployment: recorded as applied, nothing done twice.
        var found = IncidentDecider.Decide(Context(ScaleOut, status: intent, deployment: Exhausted.Web(replicas: 6)), Clock.At(5));
        Assert.Empty(found.Effects);
        Assert.Equal(ActionPhase.Running, Assert.Single(found.Status.Actions!).Phase);
        Assert.StartsWith("found applied after a restart", found.Status.Actions![0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void After_a_restart_an_applied_memory_raise_is_found_by_its_limit()
    {
        var intent = IncidentDecider.Decide(Context(Raise), Clock.T0).Status;
        var raised = Exhausted.Web("384Mi");
        Assert.Empty(IncidentDecider.Decide(Context(Raise, status: intent, deployment: raised), Clock.At(5)).Effects);
        Assert.IsType<Effect.RunAction>(Assert.Single(IncidentDecider.Decide(Context(Raise, status: intent), Clock.At(5)).Effects));
    }

    [Fact]
    public void A_pending_intent_without_a_recorded_change_is_skipped_rather_than_guessed()
    {
        var status = IncidentStateMachine.Apply(Exhausted.Opened(), new IncidentEvent.IntentRecorded("act", ActionType.Scale, 1, "old record"), Clock.T0);
        var decision = IncidentDecider.Decide(Context(ScaleOut, status: status), Clock.At(1));
        Assert.Empty(decision.Effects);
        Assert.Equal(ActionPhase.Skipped, Assert.Single(decision.Status.Actions!).Phase);
    }

    [Fact]
    public void Scale_back_waits_for_the_stability_window_then_reverts_to_the_original_once()
    {
        var resolved = Resolve(ScaleOut, Exhausted.Web(replicas: 6));
        var scaled = Exhausted.Web(replicas: 6);
        var resolvedAt = Clock.At(200);

        var early = IncidentDecider.Decide(Context(ScaleOut, status: resolved, deployment: scaled), resolvedAt.AddMinutes(5));
        Assert.Empty(early.Effects);
        Assert.Contains("waits for the incident to stay resolved", early.Reason, StringComparison.Ordinal);

        var due = IncidentDecider.Decide(Context(ScaleOut, status: resolved, deployment: scaled), resolvedAt.AddMinutes(10));
        var revert = Assert.IsType<Effect.Revert>(Assert.Single(due.Effects));
        var back = Assert.IsType<ActionChange.ScaleDeployment>(revert.Change);
        Assert.Equal(("revert-act", 6, 4), (revert.Step, back.FromReplicas, back.ToReplicas));
        Assert.Equal(IncidentPhase.Resolved, due.Status.Phase);
        Assert.Equal(("revert-act", ActionPhase.Pending, "act"), (due.Status.Actions![^1].Step, due.Status.Actions[^1].Phase, due.Status.Actions[^1].Details!["revertOf"]));

        // Applied, then closed; and never again.
        var applied = IncidentStateMachine.Apply(due.Status, new IncidentEvent.ActionApplied("revert-act", 1, "scaled back"), resolvedAt.AddMinutes(10));
        var closed = IncidentDecider.Decide(Context(ScaleOut, status: applied, deployment: Exhausted.Web()), resolvedAt.AddMinutes(11));
        Assert.Equal(ActionPhase.Succeeded, closed.Status.Actions![^1].Phase);
        Assert.Empty(IncidentDecider.Decide(Context(ScaleOut, status: closed.Status, deployment: Exhausted.Web()), resolvedAt.AddMinutes(30)).Effects);
    }

    [Fact]
    public void Scale_back_never_overwrites_a_later_change_by_someone_else()
    {
        var resolved = Resolve(ScaleOut, Exhausted.Web(replicas: 6));
        var decision = IncidentDecider.Decide(Context(ScaleOut, status: resolved, deployment: Exhausted.Web(replicas: 9)), Clock.At(200).AddMinutes(10));
        Assert.Empty(decision.Effects);
        Assert.Contains("runs 9 replicas, not the 6 step act set; someone changed it since", decision.Status.Actions![^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flag_flips_back_on_resolution_to_the_value_it_had()
    {
        var flags = new ActionObservations(null, ValueList.Of(new FlagObservation("payment_service", FeatureFlagProviderType.ConfigMap, "true")));
        var flipped = new ActionObservations(null, ValueList.Of(new FlagObservation("payment_service", FeatureFlagProviderType.ConfigMap, "false")));
        var resolved = Resolve(FlipFlag, Exhausted.Web(), flags);
        var decision = IncidentDecider.Decide(Context(FlipFlag, status: resolved, observations: flipped), Clock.At(200));
        var change = Assert.IsType<ActionChange.FlipFlag>(Assert.IsType<Effect.Revert>(Assert.Single(decision.Effects)).Change);
        Assert.Equal(("false", "true"), (change.FromValue, change.ToValue));
    }

    [Fact]
    public void Reverts_respect_the_switches_people_control()
    {
        var resolved = Resolve(ScaleOut, Exhausted.Web(replicas: 6));
        var decision = IncidentDecider.Decide(Context(ScaleOut, Policy with { Paused = true }, resolved, Exhausted.Web(replicas: 6)), Clock.At(200).AddMinutes(10));
        Assert.Empty(decision.Effects);
        Assert.Contains("[policy-paused]", decision.Status.Timeline![^1].Message, StringComparison.Ordinal);
    }

    /// <summary>The step acted at T0, was applied, verified and the incident resolved at T0+200s.</summary>
    private static IncidentStatus Resolve(RunbookAction action, DeploymentObservation after, ActionObservations? observations = null)
    {
        var intent = IncidentDecider.Decide(Context(action, observations: observations), Clock.T0).Status;
        return IncidentStateMachine.ApplyAll(intent,
        [
            new IncidentEvent.ActionApplied("act", 1, "applied"),
            new IncidentEvent.VerificationPassed("act", 1, "healthy"),
            new IncidentEvent.Resolved($"{after.Name} healthy"),
        ], Clock.At(200));
    }
}
