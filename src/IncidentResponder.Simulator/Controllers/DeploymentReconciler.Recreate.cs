using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>The Recreate strategy: every old pod goes before any new one starts (<c>recreate.go</c>).</summary>
public sealed partial class DeploymentReconciler
{
    private void RolloutRecreate()
    {
        var (newRs, oldRss) = ReplicaSetsAndSyncRevision(createIfMissing: false);
        var scaledDown = false;
        foreach (var old in DeploymentRules.Active(oldRss))
        {
            scaledDown |= ScaleAndRecordEvent(old, 0);
        }

        // Recreate starts new pods only once every old pod is gone.
        if (scaledDown || oldRss.Any(rs => (rs.Status?.Replicas ?? 0) > 0))
        {
            SyncRolloutStatus(All(newRs, oldRss), newRs);
            return;
        }

        if (newRs is null)
        {
            (newRs, oldRss) = ReplicaSetsAndSyncRevision(createIfMissing: true);
            if (newRs is null)
            {
                return;
            }
        }

        ScaleAndRecordEvent(newRs, Desired);
        if (DeploymentRules.IsComplete(_deployment, _original.Status ?? new V1DeploymentStatus()))
        {
            CleanupOldReplicaSets(oldRss);
        }

        SyncRolloutStatus(All(newRs, oldRss), newRs);
    }
}
