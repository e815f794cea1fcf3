using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Client;
using k8s;
using k8s.Models;

namespace IncidentResponder.Operator.Actions;

/// <summary>
/// <c>kubectl rollout restart</c>: a strategic-merge patch that sets the pod template's restartedAt annotation (which
/// replaces every pod and changes nothing else) and the incidentresponder.dev/action marker in the same write. The
/// timestamp was fixed at the intent, so sending it again after a crash restarts nothing a second time.
/// </summary>
public sealed class RolloutRestart(IKubernetes client)
{
    public async Task<ActionOutcome> ExecuteAsync(string ns, ActionChange.RestartRollout change, string actionAnnotation, bool dryRun, CancellationToken cancellationToken)
    {
        var deployment = await ApiReads.GetOrNullAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync(change.Deployment, ns, cancellationToken: cancellationToken));
        if (deployment is null)
        {
            return new ActionOutcome.Skipped($"skipped: Deployment {change.Deployment} no longer exists");
        }

        if (deployment.Spec.Paused == true)
        {
            return new ActionOutcome.Skipped($"refused: Deployment {change.Deployment} is paused; can't restart paused deployment (run rollout resume first)");
        }

        var details = change.ToDetails();
        if (Projections.Value(deployment.Spec.Template.Metadata?.Annotations, ActionChange.RestartRollout.Annotation) == change.RestartedAt
            && Projections.Value(deployment.Metadata.Annotations, WellKnown.ActionAnnotation) == actionAnnotation && !dryRun)
        {
            return new ActionOutcome.Applied($"{change.Describe()} (found applied)", details);
        }

        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [WellKnown.ActionAnnotation] = actionAnnotation } },
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [ActionChange.RestartRollout.Annotation] = change.RestartedAt } },
                },
            },
        };
        var result = await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.StrategicMergePatch),
            change.Deployment, ns, dryRun: dryRun ? "All" : null, fieldManager: WellKnown.FieldManager, cancellationToken: cancellationToken);
        if (dryRun)
        {
            return ActionOutcome.ServerDryRun(change.Describe(), "the pod template's restartedAt would become " +
                Projections.Value(result.Spec.Template.Metadata?.Annotations, ActionChange.RestartRollout.Annotation), details);
        }

        details["resourceVersion"] = result.Metadata.ResourceVersion ?? string.Empty;
        return new ActionOutcome.Applied(change.Describe(), details);
    }
}
