using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Guardrails;

/// <summary>Is the operator allowed to touch this object at all?</summary>
public static class ScopeRules
{
    /// <summary>A policy never acts outside its own namespace, whatever an incident names.</summary>
    public static GuardrailDecision? OutsideNamespace(GuardrailInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var policyNamespace = input.Policy.Namespace;
        return input.Target.Namespace == policyNamespace && input.IncidentNamespace == policyNamespace
            ? null
            : new GuardrailDecision(GuardrailVerdict.Refuse, "namespace",
                $"refused: {input.Target.Namespace}/{input.Target.Name} is outside namespace {policyNamespace} of policy {input.Policy.Name}");
    }

    /// <summary>spec.paused on the policy: incidents are still recorded, nothing is changed.</summary>
    public static GuardrailDecision? PolicyPaused(GuardrailInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Policy.Paused
            ? new GuardrailDecision(GuardrailVerdict.Refuse, "policy-paused",
                $"refused: policy {input.Policy.Name} is paused (spec.paused: true); set it to false to allow actions")
            : null;
    }

    /// <summary>The owner of a workload opted it out with the incidentresponder.dev/paused annotation.</summary>
    public static GuardrailDecision? OptedOut(GuardrailInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return string.Equals(input.Target.Annotation(WellKnown.PausedAnnotation), "true", StringComparison.OrdinalIgnoreCase)
            ? new GuardrailDecision(GuardrailVerdict.Refuse, "opt-out",
                $"refused: {input.Target.Kind} {input.Target.Name} carries {WellKnown.PausedAnnotation}: \"true\"; remove it to allow actions")
            : null;
    }

    /// <summary>
    /// kubectl refuses to undo or restart a paused Deployment ("resume it first"): someone paused it on purpose,
    /// and the change would not roll out anyway.
    /// </summary>
    public static GuardrailDecision? DeploymentPaused(GuardrailInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Target.Paused && input.Action is ActionType.RolloutUndo or ActionType.RestartRollout
            ? new GuardrailDecision(GuardrailVerdict.Refuse, "deployment-paused",
                $"refused: Deployment {input.Target.Name} is paused (spec.paused: true); you cannot roll back a paused Deployment, resume it first")
            : null;
    }
}
