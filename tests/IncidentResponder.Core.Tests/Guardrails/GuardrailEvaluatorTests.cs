using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Guardrails;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Guards;

namespace IncidentResponder.Core.Tests.Guardrails;

public sealed class GuardrailEvaluatorTests
{
    [Fact]
    public void Acts_when_every_rule_passes()
    {
        var decision = GuardrailEvaluator.Decide(Input());
        Assert.Equal(GuardrailVerdict.Act, decision.Verdict);
        Assert.Equal("step rollback (RolloutUndo) passed every guardrail", decision.Reason);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Each_rule_can_stop_the_action(string rule, GuardrailInput input, GuardrailVerdict verdict)
    {
        var decision = GuardrailEvaluator.Decide(input);
        Assert.Equal((verdict, rule), (decision.Verdict, decision.Rule));
    }

    public static TheoryData<string, GuardrailInput, GuardrailVerdict> Refusals()
    {
        var approval = ShopPolicy with { Modes = new ModeTable(RemediationMode.RequireApproval) };
        return new()
        {
            { "namespace", Input() with { Target = Cluster.Deployment() with { Namespace = "other" } }, GuardrailVerdict.Refuse },
            { "policy-paused", Input(policy: ShopPolicy with { Paused = true }), GuardrailVerdict.Refuse },
            { "opt-out", Input() with { Target = Cluster.Deployment(annotations: new Dictionary<string, string> { [WellKnown.PausedAnnotation] = "true" }) }, GuardrailVerdict.Refuse },
            { "deployment-paused", Input() with { Target = Cluster.Deployment(paused: true) }, GuardrailVerdict.Refuse },
            { "circuit-breaker", Input(history: [Past(90, ActionPhase.Failed), Past(60, ActionPhase.Failed)]), GuardrailVerdict.Escalate },
            { "mode", Input(policy: ShopPolicy with { Modes = new ModeTable(RemediationMode.DryRun) }), GuardrailVerdict.DryRun },
            { "mode", Input(policy: approval), GuardrailVerdict.AwaitApproval },
            { "cooldown", Input(history: [Past(1)]), GuardrailVerdict.Refuse },
            { "max-actions-per-target", Input(history: [Past(40), Past(30), Past(20)]), GuardrailVerdict.Refuse },
            { "max-actions-per-namespace", Input(history: [Past(50, target: "a"), Past(40, target: "b"), Past(30, target: "c"), Past(20, target: "d"), Past(15, target: "e")]), GuardrailVerdict.Refuse },
            { "max-concurrent-incidents", Input(acting: ["a", "b", "c"]), GuardrailVerdict.Refuse },
        };
    }

    [Fact]
    public void Namespace_scope_applies_even_to_notes() =>
        Assert.Equal(GuardrailVerdict.Refuse,
            GuardrailEvaluator.Decide(Input(ActionType.Note) with { Target = Cluster.Deployment() with { Namespace = "other" } }).Verdict);

    [Theory]
    [InlineData(ActionType.Note)]
    [InlineData(ActionType.Escalate)]
    public void Steps_that_change_nothing_pass_pauses_and_limits(ActionType action)
    {
        var input = Input(action, policy: ShopPolicy with { Paused = true }, history: [Past(1)]);
        Assert.Equal(GuardrailVerdict.Act, GuardrailEvaluator.Decide(input).Verdict);
    }

    [Fact]
    public void A_dry_run_is_not_held_back_by_limits_because_it_changes_nothing()
    {
        var dryRun = ShopPolicy with { Modes = new ModeTable(RemediationMode.DryRun) };
        Assert.Equal(GuardrailVerdict.DryRun, GuardrailEvaluator.Decide(Input(policy: dryRun, history: [Past(1)])).Verdict);
    }

    [Fact]
    public void Approval_flow_waits_then_acts_then_still_obeys_limits()
    {
        var approval = ShopPolicy with { Modes = new ModeTable(RemediationMode.RequireApproval) };
        Assert.Equal(GuardrailVerdict.AwaitApproval, GuardrailEvaluator.Decide(Input(policy: approval)).Verdict);
        Assert.Equal(GuardrailVerdict.Act, GuardrailEvaluator.Decide(Input(policy: approval, approvals: ["rollback"])).Verdict);
        var cooled = GuardrailEvaluator.Decide(Input(policy: approval, approvals: ["rollback"], history: [Past(2, target: Cluster.Name)]));
        Assert.Equal("cooldown", cooled.Rule);
    }

    [Fact]
    public void The_breaker_wins_over_a_cooldown_so_a_looping_target_escalates_instead_of_waiting()
    {
        var decision = GuardrailEvaluator.Decide(Input(history: [Past(20, ActionPhase.Failed), Past(2, ActionPhase.Failed)]));
        Assert.Equal(GuardrailVerdict.Escalate, decision.Verdict);
    }

    [Fact]
    public void Effective_policy_reads_the_api_with_defaults()
    {
        var policy = new RemediationPolicy
        {
            Metadata = new() { Name = "p", NamespaceProperty = "shop" },
            Spec = new RemediationPolicySpec
            {
                Signals = [new SignalRoute { Signal = SignalType.CrashLoop, RunbookRef = new() { Name = "rb" }, Severity = Severity.Sev2 }],
                Guardrails = new Api.V1Alpha1.Guardrails { CooldownPerTarget = "2m", MaxActionsPerTarget = new ActionBudget { Count = 2, Window = "30m" } },
                Detection = new DetectionSettings { HoldFor = "45s" },
            },
        };
        var effective = EffectivePolicy.From(policy);
        Assert.Equal(("p", "shop"), (effective.Name, effective.Namespace));
        Assert.Equal(TimeSpan.FromMinutes(2), effective.Limits.CooldownPerTarget);
        Assert.Equal(new Budget(2, TimeSpan.FromMinutes(30)), effective.Limits.MaxActionsPerTarget);
        Assert.Null(effective.Limits.MaxActionsPerNamespace);
        Assert.Equal((3, 2), (effective.Limits.MaxConcurrentIncidents, effective.Limits.CircuitBreakerThreshold));
        Assert.Equal(TimeSpan.FromSeconds(45), effective.Detection.HoldFor);
        Assert.Equal((1, 50), (effective.Detection.MinAffectedPods, effective.Detection.MinAffectedPercent));
        Assert.Equal(TimeSpan.FromMinutes(15), effective.Detection.ReopenWindow);
        Assert.Equal(RemediationMode.DryRun, effective.Modes.For(Severity.Sev1));
        Assert.Equal(Severity.Sev2, effective.SeverityOverrides[SignalType.CrashLoop]);
        Assert.False(effective.Paused);
    }
}
