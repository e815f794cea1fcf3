using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Guardrails;

/// <summary>
/// Stops remediation loops (the field failure of memory raised five times over): after N actions on a target in a
/// row that did not help, the operator stops acting on it and escalates. A success resets the count.
/// </summary>
public static class CircuitBreakerRule
{
    public static GuardrailDecision? Check(GuardrailInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var threshold = input.Policy.Limits.CircuitBreakerThreshold;
        var ineffective = input.TargetActions
            .Where(a => a.Phase is ActionPhase.Failed or ActionPhase.Succeeded)
            .TakeWhile(a => a.Phase == ActionPhase.Failed)
            .ToList();
        return ineffective.Count < threshold
            ? null
            : new GuardrailDecision(GuardrailVerdict.Escalate, "circuit-breaker",
                $"circuit breaker open: the last {ineffective.Count} actions on {input.Target.Name} did not help " +
                $"({string.Join(", ", ineffective.Select(a => $"{a.Incident}/{a.Step}"))}); no more automatic actions, escalating");
    }
}
