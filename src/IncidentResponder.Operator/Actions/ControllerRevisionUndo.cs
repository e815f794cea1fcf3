using System.Net;
using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Revisions;
using IncidentResponder.Operator.Observation;
using IncidentResponder.Runtime.Client;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IncidentResponder.Operator.Actions;

/// <summary>
/// Rolls a StatefulSet or DaemonSet back as <c>kubectl rollout undo</c> does (its StatefulSetRollbacker and
/// DaemonSetRollbacker): read the workload and the chosen ControllerRevision live, skip when the template already
/// matches, otherwise send the revision's <c>data</c> (the patch <c>{"spec":{"template":{...,"$patch":"replace"}}}</c>)
/// as a strategic merge patch. Ours in the same patch: the resourceVersion the decision was checked against (a
/// workload changed in between answers 409) and the incidentresponder.dev/action marker. Then, for a StatefulSet whose
/// runbook asks for it, the pods left crash-looping on the reverted revision are deleted, each only if it is still the
/// same pod (uid precondition), so a repeat after a crash deletes nothing twice.
/// </summary>
public sealed class ControllerRevisionUndo(IKubernetes client, WorkloadApi workloads, ClusterCache cache)
{
    public async Task<ActionOutcome> ExecuteAsync(string kind, string ns, string name, Effect.RollBack effect, CancellationToken cancellationToken)
    {
        var live = await workloads.ReadAsync(kind, ns, name, cancellationToken);
        if (live is null)
        {
            return new ActionOutcome.Skipped($"skipped: {kind} {name} no longer exists");
        }

        var revision = await ApiReads.GetOrNullAsync(() => client.AppsV1.ReadNamespacedControllerRevisionAsync(effect.To.Name, ns, cancellationToken: cancellationToken));
        if (revision is null || !(revision.Metadata.OwnerReferences ?? []).Any(o => o.Controller == true && o.Uid == live.Metadata.Uid))
        {
            return new ActionOutcome.Skipped($"skipped: revision {effect.To.Revision} ({effect.To.Name}) no longer belongs to {kind} {name}");
        }

        var template = WorkloadProjections.TemplateOf(revision);
        var details = RolloutUndo.Details(effect, template);
        if (TemplateFingerprint.EqualIgnoreHash(template, live.Template))
        {
            // This step's own marker with the intended template means the patch landed before a crash: it is done,
            // except for stuck pods a forced recreate had still to delete.
            return Projections.Value(live.Metadata.Annotations, WellKnown.ActionAnnotation) == effect.ActionAnnotation && !effect.DryRun
                ? await AfterRevertAsync(live, effect, details, $"rolled back to revision {effect.To.Revision} (found applied)", cancellationToken)
                : new ActionOutcome.Skipped($"skipped rollback (current template already matches revision {effect.To.Revision})");
        }

        var patch = new V1Patch(Build(revision, live.Metadata.ResourceVersion, effect.ActionAnnotation), V1Patch.PatchType.StrategicMergePatch);
        var result = await workloads.PatchAsync(kind, ns, name, patch, effect.DryRun, cancellationToken);
        if (effect.DryRun)
        {
            return ActionOutcome.ServerDryRun($"roll back to revision {effect.To.Revision}", $"the template would become revision {effect.To.Revision} ({RolloutUndo.Images(result.Template)})", details);
        }

        details["resourceVersion"] = result.Metadata.ResourceVersion ?? string.Empty;
        return await AfterRevertAsync(result, effect, details, $"rolled back {kind} {name} to revision {effect.To.Revision} ({RolloutUndo.Images(template)})", cancellationToken);
    }

    /// <summary>The revision's data, plus our resourceVersion precondition and action marker.</summary>
    public static string Build(V1ControllerRevision revision, string? resourceVersion, string actionAnnotation)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var patch = JsonNode.Parse(KubernetesJson.Serialize(revision.Data))?.AsObject() ?? [];
        patch["metadata"] = new JsonObject
        {
            ["resourceVersion"] = resourceVersion,
            ["annotations"] = new JsonObject { [WellKnown.ActionAnnotation] = actionAnnotation },
        };
        return patch.ToJsonString();
    }

    private async Task<ActionOutcome> AfterRevertAsync(LiveWorkload workload, Effect.RollBack effect, Dictionary<string, string> details, string message, CancellationToken cancellationToken)
    {
        if (!effect.ForceRecreateStuckPods)
        {
            // Without the runbook's consent nothing is deleted; a pod left stuck fails the verification, which says so.
            return new ActionOutcome.Applied(message, details);
        }

        var cached = cache.Workload(workload.Metadata.NamespaceProperty, workload.Kind, workload.Metadata.Name);
        var pods = cached is null ? [] : cache.PodsOfWorkload(cached, []).Where(p => !p.Terminating).ToList();
        var stuck = StuckPods.Of(effect.To.PodTemplateHash, pods.Select(p => p.Observation)).Select(p => pods.First(c => c.Name == p.Name)).ToList();
        if (stuck.Count == 0)
        {
            return new ActionOutcome.Applied(message, details);
        }

        var deleted = new List<string>();
        foreach (var pod in stuck)
        {
            if (await DeleteIfSameAsync(pod, cancellationToken))
            {
                deleted.Add(pod.Name);
            }
        }

        details[ActionRecords.RecreatedPodsKey] = string.Join(", ", deleted);
        return new ActionOutcome.Applied($"{message}; deleted pod {string.Join(", ", deleted)} stuck on the reverted revision so the controller recreates it on revision {effect.To.Revision}", details);
    }

    /// <summary>Deletes the pod only if it is still the one found stuck; a pod already gone or replaced is not ours to delete.</summary>
    private async Task<bool> DeleteIfSameAsync(CachedPod pod, CancellationToken cancellationToken)
    {
        var options = new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = pod.Uid } };
        try
        {
            await client.CoreV1.DeleteNamespacedPodAsync(pod.Name, pod.Namespace, options, cancellationToken: cancellationToken);
            return true;
        }
        catch (HttpOperationException error) when (error.IsNotFound() || error.Response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }
}
