using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Guardrails;
using static IncidentResponder.Core.Tests.Fixtures.Guards;

namespace IncidentResponder.Core.Tests.Guardrails;

public sealed class RateRulesTests
{
    [Fact]
    public void No_history_passes_every_limit()
    {
        Assert.Null(RateRules.Cooldown(Input()));
        Assert.Null(RateRules.PerTargetBudget(Input()));
        Assert.Null(RateRules.PerNamespaceBudget(Input()));
        Assert.Null(RateRules.Concurrency(Input()));
    }

    [Fact]
    public void Cooldown_refuses_within_ten_minutes_of_the_last_action()
    {
        var decision = RateRules.Cooldown(Input(history: [Past(3)]))!;
        Assert.Equal(GuardrailVerdict.Refuse, decision.Verdict);
        Assert.Equal("refused: cooldown; step rollback of incident inc-0 acted on web 3m0s ago, " +
                     "the policy waits 10m0s between actions on a target (next possible in 7m0s)", decision.Reason);
    }

    [Fact]
    public void Cooldown_passes_after_ten_minutes() => Assert.Null(RateRules.Cooldown(Input(history: [Past(10)])));

    [Theory]
    [InlineData(ActionPhase.DryRun)]
    [InlineData(ActionPhase.Skipped)]
    [InlineData(ActionPhase.AwaitingApproval)]
    public void Actions_that_changed_nothing_do_not_start_a_cooldown(ActionPhase phase) =>
        Assert.Null(RateRules.Cooldown(Input(history: [Past(1, phase)])));

    [Fact]
    public void A_pending_intent_counts_so_racing_reconciles_cannot_both_act() =>
        Assert.NotNull(RateRules.Cooldown(Input(history: [Past(0, ActionPhase.Pending)])));

    [Fact]
    public void Notes_do_not_count() =>
        Assert.Null(RateRules.Cooldown(Input(history: [Past(1, type: ActionType.Note)])));

    [Fact]
    public void Other_targets_do_not_cool_this_one_down() =>
        Assert.Null(RateRules.Cooldown(Input(history: [Past(1, target: "api")])));

    [Fact]
    public void Per_target_budget_counts_the_sliding_window()
    {
        var three = new[] { Past(50), Past(30), Past(15) };
        var decision = RateRules.PerTargetBudget(Input(history: three))!;
        Assert.Equal("refused: 3 actions on Deployment web in the last 1h0m0s, the policy allows 3 (next possible in 10m0s)", decision.Reason);
        Assert.Null(RateRules.PerTargetBudget(Input(history: [Past(61), Past(30), Past(15)])));
    }

    [Fact]
    public void Per_namespace_budget_counts_every_target()
    {
        var five = new[] { Past(50, target: "a"), Past(40, target: "b"), Past(30, target: "c"), Past(20, target: "d"), Past(15, target: "e") };
        var decision = RateRules.PerNamespaceBudget(Input(history: five))!;
        Assert.StartsWith("refused: 5 actions on namespace shop in the last 1h0m0s, the policy allows 5", decision.Reason, StringComparison.Ordinal);
        Assert.Null(RateRules.PerNamespaceBudget(Input(history: five[1..])));
    }

    [Fact]
    public void Without_budgets_there_is_no_limit()
    {
        var unlimited = ShopPolicy with { Limits = ShopPolicy.Limits with { MaxActionsPerTarget = null, MaxActionsPerNamespace = null } };
        var many = Enumerable.Range(0, 50).Select(i => Past(11 + i)).ToArray();
        Assert.Null(RateRules.PerTargetBudget(Input(policy: unlimited, history: many)));
        Assert.Null(RateRules.PerNamespaceBudget(Input(policy: unlimited, history: many)));
    }

    [Fact]
    public void Concurrency_refuses_beyond_the_maximum_of_acting_incidents()
    {
        var decision = RateRules.Concurrency(Input(acting: ["inc-9", "inc-7", "inc-8"]))!;
        Assert.Equal("refused: 3 incidents are already acting (inc-7, inc-8, inc-9), the policy allows 3 at once", decision.Reason);
        Assert.Null(RateRules.Concurrency(Input(acting: ["inc-7", "inc-8"])));
    }

    [Fact]
    public void The_incident_itself_does_not_count_against_concurrency() =>
        Assert.Null(RateRules.Concurrency(Input(acting: ["inc-1", "inc-7", "inc-8"])));
}
