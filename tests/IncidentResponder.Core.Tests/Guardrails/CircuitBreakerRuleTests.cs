using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Guardrails;
using static IncidentResponder.Core.Tests.Fixtures.Guards;

namespace IncidentResponder.Core.Tests.Guardrails;

public sealed class CircuitBreakerRuleTests
{
    [Fact]
    public void One_ineffective_action_is_under_the_threshold() =>
        Assert.Null(CircuitBreakerRule.Check(Input(history: [Past(30, ActionPhase.Failed)])));

    [Fact]
    public void Two_ineffective_actions_in_a_row_open_the_breaker_and_escalate()
    {
        var history = new[]
        {
            Past(60, ActionPhase.Failed, incident: "inc-0", step: "rollback"),
            Past(30, ActionPhase.Failed, incident: "inc-1", step: "raise-memory"),
        };
        var decision = CircuitBreakerRule.Check(Input(history: history))!;
        Assert.Equal(GuardrailVerdict.Escalate, decision.Verdict);
        Assert.Equal("circuit breaker open: the last 2 actions on web did not help (inc-1/raise-memory, inc-0/rollback); " +
                     "no more automatic actions, escalating", decision.Reason);
    }

    [Fact]
    public void A_success_in_between_resets_the_count() =>
        Assert.Null(CircuitBreakerRule.Check(Input(history: [Past(90, ActionPhase.Failed), Past(60, ActionPhase.Succeeded), Past(30, ActionPhase.Failed)])));

    [Fact]
    public void In_flight_actions_neither_trip_nor_reset_it() =>
        Assert.NotNull(CircuitBreakerRule.Check(Input(history: [Past(90, ActionPhase.Failed), Past(60, ActionPhase.Failed), Past(1, ActionPhase.Running)])));

    [Fact]
    public void Failures_on_other_targets_do_not_count() =>
        Assert.Null(CircuitBreakerRule.Check(Input(history: [Past(60, ActionPhase.Failed, target: "api"), Past(30, ActionPhase.Failed)])));

    [Fact]
    public void The_threshold_comes_from_the_policy()
    {
        var patient = ShopPolicy with { Limits = ShopPolicy.Limits with { CircuitBreakerThreshold = 3 } };
        Assert.Null(CircuitBreakerRule.Check(Input(policy: patient, history: [Past(60, ActionPhase.Failed), Past(30, ActionPhase.Failed)])));
    }
}
