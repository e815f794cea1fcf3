using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Runtime.Client;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IncidentResponder.Operator.Actions;

/// <summary>
/// <c>kubectl scale</c> with a precondition: a JSON patch of the scale subresource that tests the replicas the
/// decision planned from, so a replica count somebody changed in between fails (422) instead of being overwritten.
/// The scale subresource carries no annotations, so the action marker follows in a merge patch of the Deployment;
/// a crash between the two is harmless (recovery recognises the replicas, and the same absolute count again is a no-op).
/// </summary>
public sealed class DeploymentScale(IKubernetes client)
{
    public async Task<ActionOutcome> ExecuteAsync(string ns, ActionChange.ScaleDeployment change, string actionAnnotation, bool dryRun, CancellationToken cancellationToken)
    {
        var details = change.ToDetails();
        var patch = new JsonArray
        {
            JsonPatchOps.Operation("test", "/spec/replicas", change.FromReplicas),
            JsonPatchOps.Operation("replace", "/spec/replicas", change.ToReplicas),
        };
        V1Scale result;
        try
        {
            result = await client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.JsonPatch),
                change.Deployment, ns, dryRun: dryRun ? "All" : null, fieldManager: WellKnown.FieldManager, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException error) when (error.IsNotFound())
        {
            return new ActionOutcome.Skipped($"skipped: Deployment {change.Deployment} no longer exists");
        }
        catch (HttpOperationException error) when (LiveReads.IsFailedTest(error))
        {
            return new ActionOutcome.Skipped($"skipped: Deployment {change.Deployment} no longer runs the {change.FromReplicas} replicas this step planned from");
        }

        if (dryRun)
        {
            return ActionOutcome.ServerDryRun(change.Describe(), $"spec.replicas would become {result.Spec.Replicas?.ToString(CultureInfo.InvariantCulture)}", details);
        }

        var marker = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [WellKnown.ActionAnnotation] = actionAnnotation } } };
        await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(marker.ToJsonString(), V1Patch.PatchType.MergePatch), change.Deployment, ns,
            fieldManager: WellKnown.FieldManager, cancellationToken: cancellationToken);
        return new ActionOutcome.Applied(change.Describe(), details);
    }
}
