using System.Text.Json.Nodes;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>
/// The arithmetic and predicates of Kubernetes' <c>deployment_util.go</c>. Missing fields fall back to the API
/// defaults (1 replica, RollingUpdate 25%/25%, 600 s deadline, 10 revisions) so this works on undefaulted objects too.
/// </summary>
public static class DeploymentRules
{
    public const string RecreateStrategy = "Recreate";
    public const int DefaultProgressDeadlineSeconds = 600;
    public const int DefaultRevisionHistoryLimit = 10;

    /// <summary>progressDeadlineSeconds = MaxInt32 means "no deadline" (<c>HasProgressDeadline</c>).</summary>
    public const int NoProgressDeadline = int.MaxValue;

    public static int Replicas(V1Deployment deployment) => deployment.Spec.Replicas ?? 1;

    public static int Replicas(V1ReplicaSet replicaSet) => replicaSet.Spec.Replicas ?? 1;

    public static bool IsRecreate(V1Deployment deployment) => deployment.Spec.Strategy?.Type == RecreateStrategy;

    public static int ProgressDeadlineSeconds(V1Deployment deployment) => deployment.Spec.ProgressDeadlineSeconds ?? DefaultProgressDeadlineSeconds;

    public static bool HasProgressDeadline(V1Deployment deployment) => ProgressDeadlineSeconds(deployment) != NoProgressDeadline;

    public static int RevisionHistoryLimit(V1Deployment deployment) => deployment.Spec.RevisionHistoryLimit ?? DefaultRevisionHistoryLimit;

    /// <summary>(maxSurge, maxUnavailable) resolved against spec.replicas; both zero becomes unavailable = 1 (<c>ResolveFenceposts</c>).</summary>
    public static (int Surge, int Unavailable) ResolveFenceposts(V1Deployment deployment)
    {
        var desired = Replicas(deployment);
        var rolling = deployment.Spec.Strategy?.RollingUpdate;
        var surge = IntOrPercent.Scale(rolling?.MaxSurge, desired, roundUp: true, defaultValue: (int)Math.Ceiling(desired * 0.25));
        var unavailable = IntOrPercent.Scale(rolling?.MaxUnavailable, desired, roundUp: false, defaultValue: (int)Math.Floor(desired * 0.25));
        if (surge == 0 && unavailable == 0)
        {
            unavailable = 1;
        }

        return (surge, unavailable);
    }

    public static int MaxSurge(V1Deployment deployment) => IsRecreate(deployment) ? 0 : ResolveFenceposts(deployment).Surge;

    public static int MaxUnavailable(V1Deployment deployment)
    {
        var desired = Replicas(deployment);
        if (IsRecreate(deployment) || desired == 0)
        {
            return 0;
        }

        return Math.Min(ResolveFenceposts(deployment).Unavailable, desired);
    }

    public static int SpecReplicas(IEnumerable<V1ReplicaSet?> replicaSets) => replicaSets.Sum(rs => rs is null ? 0 : Replicas(rs));

    public static int StatusReplicas(IEnumerable<V1ReplicaSet?> replicaSets) => replicaSets.Sum(rs => rs?.Status?.Replicas ?? 0);

    public static int ReadyReplicas(IEnumerable<V1ReplicaSet?> replicaSets) => replicaSets.Sum(rs => rs?.Status?.ReadyReplicas ?? 0);

    public static int AvailableReplicas(IEnumerable<V1ReplicaSet?> replicaSets) => replicaSets.Sum(rs => rs?.Status?.AvailableReplicas ?? 0);

    /// <summary>ReplicaSets that want pods (<c>FilterActiveReplicaSets</c>).</summary>
    public static List<V1ReplicaSet> Active(IEnumerable<V1ReplicaSet?> replicaSets) =>
        replicaSets.OfType<V1ReplicaSet>().Where(rs => Replicas(rs) > 0).ToList();

    /// <summary>Oldest first, name as tie-break (<c>ReplicaSetsByCreationTimestamp</c>).</summary>
    public static List<V1ReplicaSet> ByCreation(IEnumerable<V1ReplicaSet> replicaSets) =>
        replicaSets.OrderBy(rs => KubeObjects.CreatedAt(rs.Metadata)).ThenBy(rs => rs.Metadata.Name, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Semantic equality of two pod templates ignoring the pod-template-hash label (<c>EqualIgnoreHash</c>): compared
    /// as JSON so an absent map and an empty one, as kubectl's typed deep-equal would also consider, are the same.
    /// </summary>
    public static bool EqualIgnoreHash(V1PodTemplateSpec? a, V1PodTemplateSpec? b) =>
        JsonNode.DeepEquals(NormalizedTemplate(a), NormalizedTemplate(b));

    /// <summary>The oldest ReplicaSet whose template equals the Deployment's (<c>FindNewReplicaSet</c>).</summary>
    public static V1ReplicaSet? FindNewReplicaSet(V1Deployment deployment, IEnumerable<V1ReplicaSet> replicaSets) =>
        ByCreation(replicaSets).FirstOrDefault(rs => EqualIgnoreHash(rs.Spec.Template, deployment.Spec.Template));

    /// <summary>How many replicas the new ReplicaSet may have now under maxSurge (<c>NewRSNewReplicas</c>, rolling update).</summary>
    public static int NewReplicaSetReplicas(V1Deployment deployment, IReadOnlyList<V1ReplicaSet?> all, V1ReplicaSet newReplicaSet)
    {
        if (IsRecreate(deployment))
        {
            return Replicas(deployment);
        }

        var desired = Replicas(deployment);
        var current = SpecReplicas(all);
        var maxTotal = desired + MaxSurge(deployment);
        if (current >= maxTotal)
        {
            return Replicas(newReplicaSet);
        }

        var scaleUp = Math.Min(maxTotal - current, desired - Replicas(newReplicaSet));
        return Replicas(newReplicaSet) + scaleUp;
    }

    /// <summary>The new ReplicaSet has all desired replicas, and they are available (<c>IsSaturated</c>).</summary>
    public static bool IsSaturated(V1Deployment deployment, V1ReplicaSet? replicaSet)
    {
        if (replicaSet is null || DeploymentAnnotations.DesiredReplicasOf(replicaSet) is not { } desired)
        {
            return false;
        }

        var desiredDeployment = Replicas(deployment);
        return Replicas(replicaSet) == desiredDeployment && desired == desiredDeployment
            && (replicaSet.Status?.AvailableReplicas ?? 0) == desiredDeployment;
    }

    /// <summary>All replicas updated and available, and the latest spec observed (<c>DeploymentComplete</c>).</summary>
    public static bool IsComplete(V1Deployment deployment, V1DeploymentStatus status)
    {
        var desired = Replicas(deployment);
        return (status.UpdatedReplicas ?? 0) == desired && (status.Replicas ?? 0) == desired
            && (status.AvailableReplicas ?? 0) == desired && (status.ObservedGeneration ?? 0) >= (deployment.Metadata.Generation ?? 0);
    }

    /// <summary>Did the rollout move forward between the stored status and the new one (<c>DeploymentProgressing</c>)?</summary>
    public static bool IsProgressing(V1Deployment deployment, V1DeploymentStatus status)
    {
        var old = deployment.Status ?? new V1DeploymentStatus();
        var oldOld = (old.Replicas ?? 0) - (old.UpdatedReplicas ?? 0);
        var newOld = (status.Replicas ?? 0) - (status.UpdatedReplicas ?? 0);
        return (status.UpdatedReplicas ?? 0) > (old.UpdatedReplicas ?? 0) || newOld < oldOld
            || (status.ReadyReplicas ?? 0) > (old.ReadyReplicas ?? 0) || (status.AvailableReplicas ?? 0) > (old.AvailableReplicas ?? 0);
    }

    /// <summary>No progress for progressDeadlineSeconds since the Progressing condition's lastUpdateTime (<c>DeploymentTimedOut</c>).</summary>
    public static bool IsTimedOut(V1Deployment deployment, V1DeploymentStatus status, DateTimeOffset now)
    {
        if (!HasProgressDeadline(deployment) || DeploymentConditions.Find(status, DeploymentConditions.Progressing) is not { } condition)
        {
            return false;
        }

        if (condition.Reason == DeploymentConditions.NewReplicaSetAvailableReason)
        {
            return false;
        }

        if (condition.Reason == DeploymentConditions.TimedOutReason)
        {
            return true;
        }

        return condition.LastUpdateTime is { } from
            && KubeObjects.Utc(from).AddSeconds(ProgressDeadlineSeconds(deployment)) < now;
    }

    private static JsonNode? NormalizedTemplate(V1PodTemplateSpec? template)
    {
        if (template is null)
        {
            return null;
        }

        var json = KubeObjects.ToJson(template);
        if (json["metadata"] is JsonObject metadata)
        {
            if (metadata["labels"] is JsonObject labels)
            {
                labels.Remove(PodTemplateHash.Label);
                if (labels.Count == 0)
                {
                    metadata.Remove("labels");
                }
            }

            if (metadata["annotations"] is JsonObject { Count: 0 })
            {
                metadata.Remove("annotations");
            }

            if (metadata.Count == 0)
            {
                json.Remove("metadata");
            }
        }

        return json;
    }
}
