using IncidentResponder.Core.Time;

namespace IncidentResponder.Core.Guardrails;

/// <summary>Limits on how often the operator changes things: the remedy for remediation loops.</summary>
public static class RateRules
{
    /// <summary>After an action on a target, leave it alone for the cooldown so the action can show its effect.</summary>
    public static GuardrailDecision? Cooldown(GuardrailInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cooldown = input.Policy.Limits.CooldownPerTarget;
        var last = input.TargetActions.FirstOrDefault();
        if (last?.StartedAt is not { } startedAt || input.Now - startedAt >= cooldown)
        {
            return null;
        }

        var wait = cooldown - (input.Now - startedAt);
        return new GuardrailDecision(GuardrailVerdict.Refuse, "cooldown",
            $"refused: cooldown; step {last.Step} of incident {last.Incident} acted on {input.Target.Name} {GoDuration.Format(input.Now - startedAt)} ago, " +
            $"the policy waits {GoDuration.Format(cooldown)} between actions on a target (next possible in {GoDuration.Format(wait)})");
    }

    public static GuardrailDecision? PerTargetBudget(GuardrailInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Policy.Limits.MaxActionsPerTarget is { } budget
            ? OverBudget(input, input.TargetActions, budget, "max-actions-per-target", $"Deployment {input.Target.Name}")
            : null;
    }

    public static GuardrailDecision? PerNamespaceBudget(GuardrailInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Policy.Limits.MaxActionsPerNamespace is { } budget
            ? OverBudget(input, input.NamespaceActions.Where(ActionHistory.Counts), budget, "max-actions-per-namespace", $"namespace {input.Policy.Namespace}")
            : null;
    }

    /// <summary>At most N incidents acting at once: a bad day across many services needs people, not N rollbacks.</summary>
    public static GuardrailDecision? Concurrency(GuardrailInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var others = input.ActingIncidents.Where(name => name != input.IncidentName).Order(StringComparer.Ordinal).ToList();
        var max = input.Policy.Limits.MaxConcurrentIncidents;
        return others.Count < max
            ? null
            : new GuardrailDecision(GuardrailVerdict.Refuse, "max-concurrent-incidents",
                $"refused: {others.Count} incidents are already acting ({string.Join(", ", others)}), the policy allows {max} at once");
    }

    private static GuardrailDecision? OverBudget(
        GuardrailInput input, IEnumerable<ActionHistoryEntry> actions, Policy.Budget budget, string rule, string scope)
    {
        var inWindow = actions.Where(a => a.StartedAt is { } at && input.Now - at < budget.Window).ToList();
        if (inWindow.Count < budget.Count)
        {
            return null;
        }

        var oldest = inWindow.Min(a => a.StartedAt!.Value);
        return new GuardrailDecision(GuardrailVerdict.Refuse, rule,
            $"refused: {inWindow.Count} actions on {scope} in the last {GoDuration.Format(budget.Window)}, the policy allows {budget.Count} " +
            $"(next possible in {GoDuration.Format(budget.Window - (input.Now - oldest))})");
    }
}
