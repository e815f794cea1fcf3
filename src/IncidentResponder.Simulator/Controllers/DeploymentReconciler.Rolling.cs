using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>The RollingUpdate strategy: grow the new ReplicaSet within maxSurge, shrink old ones within maxUnavailable (<c>rolling.go</c>).</summary>
public sealed partial class DeploymentReconciler
{
    private void RolloutRolling()
    {
        var (newRs, oldRss) = ReplicaSetsAndSyncRevision(createIfMissing: true);
        if (newRs is null)
        {
            return;
        }

        var all = All(newRs, oldRss);
        if (ReconcileNewReplicaSet(all, newRs) || ReconcileOldReplicaSets(all, oldRss, newRs))
        {
            SyncRolloutStatus(all, newRs);
            return;
        }

        if (DeploymentRules.IsComplete(_deployment, _original.Status ?? new V1DeploymentStatus()))
        {
            CleanupOldReplicaSets(oldRss);
        }

        SyncRolloutStatus(all, newRs);
    }

    private bool ReconcileNewReplicaSet(List<V1ReplicaSet> all, V1ReplicaSet newRs)
    {
        var current = DeploymentRules.Replicas(newRs);
        if (current == Desired)
        {
            return false;
        }

        if (current > Desired)
        {
            return ScaleAndRecordEvent(newRs, Desired);
        }

        return ScaleAndRecordEvent(newRs, DeploymentRules.NewReplicaSetReplicas(_deployment, all, newRs));
    }

    /// <summary>Scales old ReplicaSets down as far as maxUnavailable allows, unhealthy pods first (<c>reconcileOldReplicaSets</c>).</summary>
    private bool ReconcileOldReplicaSets(List<V1ReplicaSet> all, List<V1ReplicaSet> oldRss, V1ReplicaSet newRs)
    {
        if (DeploymentRules.SpecReplicas(oldRss) == 0)
        {
            return false;
        }

        var minAvailable = Desired - DeploymentRules.MaxUnavailable(_deployment);
        var newRsUnavailable = DeploymentRules.Replicas(newRs) - (newRs.Status?.AvailableReplicas ?? 0);
        var maxScaledDown = DeploymentRules.SpecReplicas(all) - minAvailable - newRsUnavailable;
        if (maxScaledDown <= 0)
        {
            return false;
        }

        var cleaned = CleanupUnhealthyReplicas(oldRss, maxScaledDown);
        var scaledDown = ScaleDownOldReplicaSetsForRollingUpdate(All(newRs, oldRss), oldRss);
        return cleaned + scaledDown > 0;
    }

    private int CleanupUnhealthyReplicas(List<V1ReplicaSet> oldRss, int maxCleanup)
    {
        var total = 0;
        foreach (var rs in DeploymentRules.ByCreation(oldRss))
        {
            if (total >= maxCleanup)
            {
                break;
            }

            var replicas = DeploymentRules.Replicas(rs);
            var available = rs.Status?.AvailableReplicas ?? 0;
            if (replicas == 0 || replicas == available)
            {
                continue;
            }

            var count = Math.Min(maxCleanup - total, replicas - available);
            ScaleAndRecordEvent(rs, replicas - count);
            total += count;
        }

        return total;
    }

    private int ScaleDownOldReplicaSetsForRollingUpdate(List<V1ReplicaSet> all, List<V1ReplicaSet> oldRss)
    {
        var minAvailable = Desired - DeploymentRules.MaxUnavailable(_deployment);
        var available = DeploymentRules.AvailableReplicas(all);
        if (available <= minAvailable)
        {
            return 0;
        }

        var totalToScaleDown = available - minAvailable;
        var total = 0;
        foreach (var rs in DeploymentRules.ByCreation(oldRss))
        {
            if (total >= totalToScaleDown)
            {
                break;
            }

            var replicas = DeploymentRules.Replicas(rs);
            if (replicas == 0)
            {
                continue;
            }

            var count = Math.Min(replicas, totalToScaleDown - total);
            ScaleAndRecordEvent(rs, replicas - count);
            total += count;
        }

        return total;
    }
}
