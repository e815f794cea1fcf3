using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Quantities;

namespace IncidentResponder.Core.Actions;

/// <summary>Is a change already visible on the observed objects? Used after a restart to record instead of re-apply.</summary>
public static class ChangeObservation
{
    /// <summary>True when every value the change sets is observed; false when not, or when it cannot be observed.</summary>
    public static bool IsApplied(ActionChange change, DeploymentObservation deployment, ActionObservations? observations)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(deployment);
        return change switch
        {
            ActionChange.ScaleDeployment scale => deployment.DesiredReplicas == scale.ToReplicas,
            ActionChange.ScaleHpa hpa => observations?.Hpa is { } observed && observed.Name == hpa.Hpa
                && observed.MinReplicas == hpa.ToMinReplicas && observed.MaxReplicas == hpa.ToMaxReplicas,
            ActionChange.SetMemoryLimit memory => MemoryLimit(deployment, memory.Container) is { } limit && limit.Bytes == memory.ToLimit.Bytes,
            ActionChange.FlipFlag flag => observations?.Flag(flag.Flag, flag.Provider)?.Value is { } value && value == flag.ToValue,

            // The restartedAt annotation is not in the template summary; the action annotation written in the same
            // patch is what tells (RestartRecovery), and re-applying the same timestamp restarts nothing.
            _ => false,
        };
    }

    public static MemoryQuantity? MemoryLimit(DeploymentObservation deployment, string container)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return deployment.Template?.Containers.FirstOrDefault(c => c.Name == container)?.Limits.FirstOrDefault(q => q.Resource == "memory") is { } entry
            && MemoryQuantity.TryParse(entry.Quantity, out var value)
                ? value
                : null;
    }
}
