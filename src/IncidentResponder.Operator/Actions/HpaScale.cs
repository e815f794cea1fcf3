using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Runtime.Client;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IncidentResponder.Operator.Actions;

/// <summary>
/// Scaling a Deployment that an HPA manages: raise the HPA's minReplicas (and maxReplicas when it must stay ≥ min),
/// never the Deployment's replicas, which the HPA would overwrite. The JSON patch tests the values the decision
/// planned from, so a concurrent edit of the HPA fails (422) instead of being overwritten.
/// </summary>
public sealed class HpaScale(IKubernetes client)
{
    public async Task<ActionOutcome> ExecuteAsync(string ns, ActionChange.ScaleHpa change, bool dryRun, CancellationToken cancellationToken)
    {
        var details = change.ToDetails();
        var hpa = await ApiReads.GetOrNullAsync(() => client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync(change.Hpa, ns, cancellationToken: cancellationToken));
        if (hpa is null)
        {
            return new ActionOutcome.Skipped($"skipped: HPA {change.Hpa} no longer exists");
        }

        var patch = new JsonArray
        {
            // minReplicas is optional (the API defaults it to 1): test it only when it is there, and add it either way.
            hpa.Spec.MinReplicas is null
                ? JsonPatchOps.Operation("add", "/spec/minReplicas", change.ToMinReplicas)
                : JsonPatchOps.Operation("test", "/spec/minReplicas", change.FromMinReplicas),
            JsonPatchOps.Operation("test", "/spec/maxReplicas", change.FromMaxReplicas),
            JsonPatchOps.Operation("replace", "/spec/minReplicas", change.ToMinReplicas),
            JsonPatchOps.Operation("replace", "/spec/maxReplicas", change.ToMaxReplicas),
        };
        V2HorizontalPodAutoscaler result;
        try
        {
            result = await client.AutoscalingV2.PatchNamespacedHorizontalPodAutoscalerAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.JsonPatch),
                change.Hpa, ns, dryRun: dryRun ? "All" : null, fieldManager: WellKnown.FieldManager, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException error) when (LiveReads.IsFailedTest(error))
        {
            return new ActionOutcome.Skipped($"skipped: HPA {change.Hpa} no longer has the minReplicas {change.FromMinReplicas} / maxReplicas {change.FromMaxReplicas} this step planned from");
        }

        if (dryRun)
        {
            return ActionOutcome.ServerDryRun(change.Describe(), $"minReplicas would become {result.Spec.MinReplicas}, maxReplicas {result.Spec.MaxReplicas}", details);
        }

        return new ActionOutcome.Applied(change.Describe(), details);
    }
}
