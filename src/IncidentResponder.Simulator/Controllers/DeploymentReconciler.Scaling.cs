using System.Globalization;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>Resizing ReplicaSets: scaling events, paused Deployments, proportional scaling mid-rollout, and the ScalingReplicaSet event.</summary>
public sealed partial class DeploymentReconciler
{
    /// <summary>Paused, or a scaling event: resize without advancing the rollout (<c>sync</c>).</summary>
    private void SyncScaleOnly()
    {
        var (newRs, oldRss) = ReplicaSetsAndSyncRevision(createIfMissing: false);
        Scale(newRs, oldRss);
        if (_deployment.Spec.Paused == true)
        {
            CleanupOldReplicaSets(oldRss);
        }

        WriteStatus(CalculateStatus(All(newRs, oldRss), newRs));
    }

    /// <summary>Any active ReplicaSet annotated with a different desired size means spec.replicas changed (<c>isScalingEvent</c>).</summary>
    private bool IsScalingEvent()
    {
        var newRs = DeploymentRules.FindNewReplicaSet(_deployment, _owned);
        var oldRss = _owned.Where(rs => !ReferenceEquals(rs, newRs));
        return DeploymentRules.Active(All(newRs, oldRss))
            .Any(rs => DeploymentAnnotations.DesiredReplicasOf(rs) is { } desired && desired != Desired);
    }

    /// <summary>Resizes for a spec.replicas change, proportionally across active ReplicaSets mid-rollout (<c>scale</c>).</summary>
    private void Scale(V1ReplicaSet? newRs, List<V1ReplicaSet> oldRss)
    {
        var latest = ActiveOrLatest(newRs, oldRss);
        if (latest is not null)
        {
            ScaleAndRecordEvent(latest, Desired);
            return;
        }

        if (DeploymentRules.IsSaturated(_deployment, newRs))
        {
            foreach (var old in DeploymentRules.Active(oldRss))
            {
                ScaleAndRecordEvent(old, 0);
            }

            return;
        }

        if (DeploymentRules.IsRecreate(_deployment))
        {
            return;
        }

        var active = DeploymentRules.Active(All(newRs, oldRss));
        var allowed = Desired > 0 ? Desired + DeploymentRules.MaxSurge(_deployment) : 0;
        var toAdd = allowed - DeploymentRules.SpecReplicas(active);
        if (toAdd == 0)
        {
            return;
        }

        // Largest first; on ties the newer ReplicaSet grows first and the older one shrinks first.
        active = toAdd > 0
            ? active.OrderByDescending(DeploymentRules.Replicas).ThenByDescending(rs => KubeObjects.CreatedAt(rs.Metadata)).ToList()
            : active.OrderByDescending(DeploymentRules.Replicas).ThenBy(rs => KubeObjects.CreatedAt(rs.Metadata)).ToList();
        var added = 0;
        var sizes = new Dictionary<V1ReplicaSet, int>(ReferenceEqualityComparer.Instance);
        foreach (var rs in active)
        {
            var proportion = Proportion(rs, toAdd, added);
            sizes[rs] = DeploymentRules.Replicas(rs) + proportion;
            added += proportion;
        }

        for (var i = 0; i < active.Count; i++)
        {
            var rs = active[i];
            if (i == 0)
            {
                sizes[rs] = Math.Max(0, sizes[rs] + toAdd - added);
            }

            ScaleReplicaSet(rs, sizes[rs]);
        }
    }

    private int Proportion(V1ReplicaSet rs, int toAdd, int added)
    {
        if (DeploymentRules.Replicas(rs) == 0 || toAdd == added)
        {
            return 0;
        }

        int fraction;
        if (Desired == 0)
        {
            fraction = -DeploymentRules.Replicas(rs);
        }
        else
        {
            var deploymentReplicas = Desired + DeploymentRules.MaxSurge(_deployment);
            var annotated = int.TryParse(KubeObjects.Annotation(rs.Metadata, DeploymentAnnotations.MaxReplicas), NumberStyles.Integer, CultureInfo.InvariantCulture, out var max)
                ? max
                : _original.Status?.Replicas ?? 0;
            fraction = annotated == 0
                ? 0
                : (int)Math.Round((double)DeploymentRules.Replicas(rs) * deploymentReplicas / annotated, MidpointRounding.AwayFromZero) - DeploymentRules.Replicas(rs);
        }

        var allowed = toAdd - added;
        return toAdd > 0 ? Math.Min(fraction, allowed) : Math.Max(fraction, allowed);
    }

    private static V1ReplicaSet? ActiveOrLatest(V1ReplicaSet? newRs, List<V1ReplicaSet> oldRss)
    {
        if (newRs is null && oldRss.Count == 0)
        {
            return null;
        }

        var newestFirst = oldRss.OrderByDescending(rs => KubeObjects.CreatedAt(rs.Metadata)).ToList();
        var active = DeploymentRules.Active(All(newRs, newestFirst));
        return active.Count switch
        {
            0 => newRs ?? newestFirst[0],
            1 => active[0],
            _ => null,
        };
    }

    private bool ScaleAndRecordEvent(V1ReplicaSet rs, int newScale) =>
        DeploymentRules.Replicas(rs) != newScale && ScaleReplicaSet(rs, newScale);

    /// <summary>Sets size and desired/max-replicas annotations; records ScalingReplicaSet when the size changes.</summary>
    private bool ScaleReplicaSet(V1ReplicaSet rs, int newScale)
    {
        var oldScale = DeploymentRules.Replicas(rs);
        var sizeChanges = oldScale != newScale;
        var max = Desired + DeploymentRules.MaxSurge(_deployment);
        if (!sizeChanges && !DeploymentAnnotations.ReplicasAnnotationsNeedUpdate(rs, Desired, max))
        {
            return false;
        }

        rs.Spec.Replicas = newScale;
        DeploymentAnnotations.SetReplicasAnnotations(rs, Desired, max);
        _writes.Add(new UpdateObject(BuiltinResources.ReplicaSets, KubeObjects.Clone(rs)));
        if (sizeChanges)
        {
            var direction = newScale > oldScale ? "up" : "down";
            Event("Normal", "ScalingReplicaSet", $"Scaled {direction} replica set {rs.Metadata.Name} from {oldScale} to {newScale}");
        }

        return sizeChanges;
    }
}
