using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>Pruning old ReplicaSets beyond revisionHistoryLimit.</summary>
public sealed partial class DeploymentReconciler
{
    /// <summary>Deletes the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit (<c>cleanupDeployment</c>).</summary>
    private void CleanupOldReplicaSets(List<V1ReplicaSet> oldRss)
    {
        var cleanable = oldRss.Where(rs => rs.Metadata.DeletionTimestamp is null && rs.Metadata.Uid is not null).ToList();
        var excess = cleanable.Count - DeploymentRules.RevisionHistoryLimit(_deployment);
        if (excess <= 0)
        {
            return;
        }

        var byRevision = cleanable
            .OrderBy(rs => DeploymentAnnotations.RevisionOf(rs.Metadata))
            .ThenBy(rs => KubeObjects.CreatedAt(rs.Metadata))
            .ThenBy(rs => rs.Metadata.Name, StringComparer.Ordinal)
            .Take(excess);
        foreach (var rs in byRevision)
        {
            if ((rs.Status?.Replicas ?? 0) != 0 || DeploymentRules.Replicas(rs) != 0
                || (rs.Metadata.Generation ?? 0) > (rs.Status?.ObservedGeneration ?? 0))
            {
                continue;
            }

            _writes.Add(new DeleteObject(BuiltinResources.ReplicaSets, rs.Metadata.NamespaceProperty, rs.Metadata.Name));
        }
    }
}
