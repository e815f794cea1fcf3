using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Revisions;

namespace IncidentResponder.Core.Decisions;

/// <summary>
/// Why a StatefulSet rollback did not verify, when the reason is a pod the revert cannot free: under OrderedReady the
/// controller waits for a pod crash-looping on the reverted revision forever. The failure says which pod and what a
/// person (or the runbook) does about it, so the escalation is actionable.
/// </summary>
internal static class StuckPodNote
{
    public static string For(IncidentContext context, ActionRecord running)
    {
        var workload = context.Observed.Deployment;
        if (running.Type != ActionType.RolloutUndo || workload.Kind != WorkloadKinds.StatefulSet
            || RolloutRecency.NewReplicaSet(workload, context.Observed.ReplicaSets) is not { } current)
        {
            return string.Empty;
        }

        var stuck = StuckPods.Of(current.PodTemplateHash, context.Observed.Pods);
        if (stuck.Count == 0)
        {
            return string.Empty;
        }

        var pods = string.Join(", ", stuck.Select(pod =>
            context.Observed.ReplicaSets.FirstOrDefault(r => r.PodTemplateHash == pod.PodTemplateHash) is { } revision
                ? $"{pod.Name} (revision {revision.Revision})"
                : pod.Name));
        return $"; pod {pods} is still failing on the reverted revision and OrderedReady never replaces it by itself: " +
            "delete it, or set rolloutUndo.forceRecreateStuckPods: true in the runbook";
    }
}
