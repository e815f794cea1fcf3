using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Observations;
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
/// A StatefulSet scales through its own scale subresource the same way; the guardrails have already refused a
/// DaemonSet (no replicas) and, unless the policy allows it, a StatefulSet with volumeClaimTemplates.
/// </summary>
public sealed class DeploymentScale(IKubernetes client, WorkloadApi workloads)
{
    public async Task<ActionOutcome> ExecuteAsync(string kind, string ns, ActionChange.ScaleDeployment change, string actionAnnotation, bool dryRun, CancellationToken cancellationToken)
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
            var scale = new V1Patch(patch.ToJsonString(), V1Patch.PatchType.JsonPatch);
            result = kind switch
            {
                WorkloadKinds.Deployment => await client.AppsV1.PatchNamespacedDeploymentScaleAsync(scale, change.Deployment, ns,
                    dryRun: dryRun ? "All" : null, fieldManager: WellKnown.FieldManager, cancellationToken: cancellationToken),
                WorkloadKinds.StatefulSet => await client.AppsV1.PatchNamespacedStatefulSetScaleAsync(scale, change.Deployment, ns,
                    dryRun: dryRun ? "All" : null, fieldManager: WellKnown.FieldManager, cancellationToken: cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "only Deployments and StatefulSets have replicas to scale"),
            };
        }
        catch (HttpOperationException error) when (error.IsNotFound())
        {
            return new ActionOutcome.Skipped($"skipped: {kind} {change.Deployment} no longer exists");
        }
        catch (HttpOperationException error) when (LiveReads.IsFailedTest(error))
        {
            return new ActionOutcome.Skipped($"skipped: {kind} {change.Deployment} no longer runs the {change.FromReplicas} replicas this step planned from");
        }

        if (dryRun)
        {
            return ActionOutcome.ServerDryRun(change.Describe(), $"spec.replicas would become {result.Spec.Replicas?.ToString(CultureInfo.InvariantCulture)}", details);
        }

        var marker = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [WellKnown.ActionAnnotation] = actionAnnotation } } };
        await workloads.PatchAsync(kind, ns, change.Deployment, new V1Patch(marker.ToJsonString(), V1Patch.PatchType.MergePatch), false, cancellationToken);
        return new ActionOutcome.Applied(change.Describe(), details);
    }
}
