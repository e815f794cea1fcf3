using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using k8s;
using k8s.Models;

namespace IncidentResponder.Operator.Observation;

/// <summary>
/// Finds the HorizontalPodAutoscaler that scales a Deployment, so a Scale step raises the HPA's minimum instead of
/// fighting it. Read live, and only for incidents whose runbook can scale: no other feature needs HPAs, so no informer.
/// </summary>
public sealed class HpaObserver(IKubernetes client)
{
    public async Task<ActionObservations> ObserveAsync(RunbookSpec runbook, string ns, string deployment, CancellationToken cancellationToken)
    {
        if (!runbook.Steps.Any(s => s.Action.Type == ActionType.Scale))
        {
            return ActionObservations.None;
        }

        var list = await client.AutoscalingV2.ListNamespacedHorizontalPodAutoscalerAsync(ns, cancellationToken: cancellationToken);
        var hpa = list.Items
            .Where(h => h.Spec.ScaleTargetRef is { Kind: "Deployment" } target && target.Name == deployment
                && (target.ApiVersion is null || target.ApiVersion.StartsWith("apps/", StringComparison.Ordinal)))
            .OrderBy(h => h.Metadata.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return hpa is null ? ActionObservations.None : ActionObservations.None with { Hpa = Project(hpa) };
    }

    private static HpaObservation Project(V2HorizontalPodAutoscaler hpa) => new(
        hpa.Metadata.Name,
        hpa.Spec.ScaleTargetRef.Name,
        hpa.Spec.MinReplicas ?? 1,
        hpa.Spec.MaxReplicas,
        hpa.Status?.CurrentReplicas ?? 0);
}
