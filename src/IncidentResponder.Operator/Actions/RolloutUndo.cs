using System.Globalization;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Client;
using k8s;
using k8s.Models;

namespace IncidentResponder.Operator.Actions;

/// <summary>
/// Rolls a Deployment back as <c>kubectl rollout undo</c> does, to the revision the core chose: read the Deployment
/// and the target ReplicaSet live, refuse a paused Deployment, skip when the template already matches, otherwise send
/// the rollback patch (server-side dry run in DryRun mode).
/// </summary>
public sealed class RolloutUndo(IKubernetes client)
{
    public async Task<ActionOutcome> ExecuteAsync(string ns, string deploymentName, Effect.RollBack effect, CancellationToken cancellationToken)
    {
        var deployment = await ApiReads.GetOrNullAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync(deploymentName, ns, cancellationToken: cancellationToken));
        if (deployment is null)
        {
            return new ActionOutcome.Skipped($"skipped: Deployment {deploymentName} no longer exists");
        }

        if (deployment.Spec.Paused == true)
        {
            return new ActionOutcome.Skipped($"refused: Deployment {deploymentName} is paused; you cannot rollback a paused deployment, resume it first");
        }

        var replicaSet = await ApiReads.GetOrNullAsync(() => client.AppsV1.ReadNamespacedReplicaSetAsync(effect.To.Name, ns, cancellationToken: cancellationToken));
        if (replicaSet is null || !(replicaSet.Metadata.OwnerReferences ?? []).Any(o => o.Controller == true && o.Uid == deployment.Metadata.Uid))
        {
            return new ActionOutcome.Skipped($"skipped: revision {effect.To.Revision} ({effect.To.Name}) no longer belongs to Deployment {deploymentName}");
        }

        var template = RollbackPatch.TemplateOf(replicaSet);
        var details = Details(effect, template);
        if (TemplateFingerprint.EqualIgnoreHash(template, deployment.Spec.Template))
        {
            // This step's own marker with the intended template means the patch landed before a crash: it is done.
            return Projections.Value(deployment.Metadata.Annotations, WellKnown.ActionAnnotation) == effect.ActionAnnotation && !effect.DryRun
                ? new ActionOutcome.Applied($"rolled back to revision {effect.To.Revision} (found applied)", details)
                : new ActionOutcome.Skipped($"skipped rollback (current template already matches revision {effect.To.Revision})");
        }

        var patch = new V1Patch(RollbackPatch.Build(deployment, replicaSet, template, effect.ActionAnnotation), V1Patch.PatchType.JsonPatch);
        var result = await client.AppsV1.PatchNamespacedDeploymentAsync(patch, deploymentName, ns,
            dryRun: effect.DryRun ? "All" : null, fieldManager: WellKnown.FieldManager, cancellationToken: cancellationToken);
        if (effect.DryRun)
        {
            return ActionOutcome.ServerDryRun($"roll back to revision {effect.To.Revision}", $"the template would become revision {effect.To.Revision} ({Images(result.Spec.Template)})", details);
        }

        details["resourceVersion"] = result.Metadata.ResourceVersion ?? string.Empty;
        return new ActionOutcome.Applied($"rolled back {deploymentName} to revision {effect.To.Revision} ({Images(template)})", details);
    }

    internal static Dictionary<string, string> Details(Effect.RollBack effect, V1PodTemplateSpec? template) => new(StringComparer.Ordinal)
    {
        ["toRevision"] = effect.To.Revision.ToString(CultureInfo.InvariantCulture),
        ["toReplicaSet"] = effect.To.Name,
        ["images"] = Images(template),
    };

    internal static string Images(V1PodTemplateSpec? template) =>
        string.Join(", ", (template?.Spec?.Containers ?? []).Select(c => $"{c.Name}={c.Image}"));
}
