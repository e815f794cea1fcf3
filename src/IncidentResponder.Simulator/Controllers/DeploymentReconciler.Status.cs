using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>The status counters and Available condition, and the status write when anything changed.</summary>
public sealed partial class DeploymentReconciler
{
    /// <summary>Counters and Available condition from the ReplicaSets (<c>calculateStatus</c>).</summary>
    private V1DeploymentStatus CalculateStatus(List<V1ReplicaSet> all, V1ReplicaSet? newRs)
    {
        var available = DeploymentRules.AvailableReplicas(all);
        var status = KubeObjects.Clone(_status);
        status.ObservedGeneration = _deployment.Metadata.Generation;
        status.Replicas = DeploymentRules.StatusReplicas(all);
        status.UpdatedReplicas = DeploymentRules.StatusReplicas([newRs]);
        status.ReadyReplicas = DeploymentRules.ReadyReplicas(all);
        status.AvailableReplicas = available;
        status.UnavailableReplicas = Math.Max(0, DeploymentRules.SpecReplicas(all) - available);

        if (available >= Desired - DeploymentRules.MaxUnavailable(_deployment))
        {
            DeploymentConditions.Set(status, DeploymentConditions.New(
                DeploymentConditions.Available, "True", DeploymentConditions.MinimumReplicasAvailableReason, "Deployment has minimum availability.", _now));
        }
        else
        {
            DeploymentConditions.Set(status, DeploymentConditions.New(
                DeploymentConditions.Available, "False", DeploymentConditions.MinimumReplicasUnavailableReason, "Deployment does not have minimum availability.", _now));
        }

        return status;
    }

    /// <summary>Queues a status write unless it equals the stored status; returns whether it queued one.</summary>
    private bool WriteStatus(V1DeploymentStatus status)
    {
        _status.Conditions = status.Conditions;
        if (JsonNode.DeepEquals(KubeObjects.ToJson(status), KubeObjects.ToJson(_original.Status ?? new V1DeploymentStatus())))
        {
            return false;
        }

        _writes.RemoveAll(write => write is UpdateStatus);
        var updated = KubeObjects.Clone(_original);
        updated.Status = KubeObjects.Clone(status);
        _writes.Add(new UpdateStatus(BuiltinResources.Deployments, updated));
        return true;
    }
}
