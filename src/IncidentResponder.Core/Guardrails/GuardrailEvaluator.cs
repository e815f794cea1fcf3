namespace IncidentResponder.Core.Guardrails;

/// <summary>
/// Composes the rules into one decision. Order matters and is deliberate: scope first (never touch what is not ours),
/// then the switches people control (pauses, opt-out), then the breaker (it escalates rather than waits), then the
/// mode and an open maintenance window (a dry run or a wait for approval changes nothing, so limits do not apply
/// yet), then the limits.
/// </summary>
public static class GuardrailEvaluator
{
    private static readonly Func<GuardrailInput, GuardrailDecision?>[] MutatingRules =
    [
        ScopeRules.PolicyPaused,
        ScopeRules.OptedOut,
        ScopeRules.DeploymentPaused,
        WorkloadKindRules.OnDeleteNeedsPerson,
        WorkloadKindRules.ScaleNotPossible,
        WorkloadKindRules.StatefulScaleWithVolumes,
        CircuitBreakerRule.Check,
        ModeRule.Check,
        MaintenanceWindowRule.Check,
        RateRules.Cooldown,
        RateRules.PerTargetBudget,
        RateRules.PerNamespaceBudget,
        RateRules.Concurrency,
    ];

    public static GuardrailDecision Decide(GuardrailInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (ScopeRules.OutsideNamespace(input) is { } outside)
        {
            return outside;
        }

        if (!ActionHistory.Mutates(input.Action))
        {
            return GuardrailDecision.Act($"step {input.Step} ({input.Action}) changes nothing in the cluster");
        }

        foreach (var rule in MutatingRules)
        {
            if (rule(input) is { } decision)
            {
                return decision;
            }
        }

        return GuardrailDecision.Act($"step {input.Step} ({input.Action}) passed every guardrail");
    }
}
