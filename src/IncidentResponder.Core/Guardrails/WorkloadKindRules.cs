using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Guardrails;

/// <summary>What a target's kind and update strategy allow, whatever the runbook asks.</summary>
public static class WorkloadKindRules
{
    /// <summary>
    /// Under OnDelete the controller replaces no pod by itself: a reverted or raised template reaches nothing until a
    /// person chooses which pods to delete, which is a decision about the workload's data and order this operator
    /// does not make. The incident stays open and says so.
    /// </summary>
    public static GuardrailDecision? OnDeleteNeedsPerson(GuardrailInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Target.UpdatesOnDelete
            ? new GuardrailDecision(GuardrailVerdict.Refuse, "on-delete",
                $"refused: {input.Target.Kind} {input.Target.Name} updates its pods OnDelete, so a change reaches no pod until a person deletes it; a person decides which pods to replace")
            : null;
    }

    /// <summary>A DaemonSet runs one pod per matching node; there is no replica count to scale.</summary>
    public static GuardrailDecision? ScaleNotPossible(GuardrailInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Action == ActionType.Scale && !WorkloadKinds.Scales(input.Target.Kind)
            ? new GuardrailDecision(GuardrailVerdict.Refuse, "kind-cannot-scale",
                $"refused: {input.Target.Kind} {input.Target.Name} runs one pod per node and has no replicas to scale")
            : null;
    }

    /// <summary>
    /// Each replica a StatefulSet gains gets a PersistentVolumeClaim of its own, which stays (and is billed) after the
    /// incident and a scale-back; only a policy that says so may pay that.
    /// </summary>
    public static GuardrailDecision? StatefulScaleWithVolumes(GuardrailInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Action == ActionType.Scale && input.Target.HasVolumeClaimTemplates && !input.Policy.ActionCaps.AllowStatefulScaleWithVolumes
            ? new GuardrailDecision(GuardrailVerdict.Refuse, "stateful-scale-with-volumes",
                $"refused: StatefulSet {input.Target.Name} has volumeClaimTemplates, so every replica added gets a new volume that outlives it; set spec.guardrails.allowStatefulScaleWithVolumes: true on policy {input.Policy.Name} to allow it")
            : null;
    }
}
