using System.Globalization;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>Finding or creating the ReplicaSet for the current template and keeping revision annotations in step.</summary>
public sealed partial class DeploymentReconciler
{
    /// <summary>Finds or creates the ReplicaSet matching the template and keeps revisions in step (<c>getAllReplicaSetsAndSyncRevision</c>).</summary>
    private (V1ReplicaSet? NewRs, List<V1ReplicaSet> OldRss) ReplicaSetsAndSyncRevision(bool createIfMissing)
    {
        var existing = DeploymentRules.FindNewReplicaSet(_deployment, _owned);
        var oldRss = _owned.Where(rs => !ReferenceEquals(rs, existing)).ToList();
        var newRevision = DeploymentAnnotations.MaxRevision(oldRss) + 1;
        var maxSurge = DeploymentRules.MaxSurge(_deployment);

        if (existing is not null)
        {
            var annotationsChanged = DeploymentAnnotations.SetNewReplicaSetAnnotations(_deployment, existing, newRevision, exists: true, maxSurge);
            var minReadyChanged = (existing.Spec.MinReadySeconds ?? 0) != (_deployment.Spec.MinReadySeconds ?? 0);
            if (annotationsChanged || minReadyChanged)
            {
                existing.Spec.MinReadySeconds = _deployment.Spec.MinReadySeconds;
                _writes.Add(new UpdateObject(BuiltinResources.ReplicaSets, KubeObjects.Clone(existing)));
            }

            _deploymentMetadataChanged |= DeploymentAnnotations.SetDeploymentRevision(
                _deployment, KubeObjects.Annotation(existing.Metadata, DeploymentAnnotations.Revision) ?? "");
            if (DeploymentConditions.Find(_status, DeploymentConditions.Progressing) is null)
            {
                DeploymentConditions.Set(_status, DeploymentConditions.New(
                    DeploymentConditions.Progressing, "True", DeploymentConditions.FoundNewReplicaSetReason,
                    $"Found new replica set \"{existing.Metadata.Name}\"", _now));
            }

            return (existing, oldRss);
        }

        if (!createIfMissing)
        {
            return (null, oldRss);
        }

        var hash = PodTemplateHash.Compute(_deployment.Spec.Template, _status.CollisionCount);
        var name = $"{Name}-{hash}";
        if (_namespaceReplicaSets.Any(rs => rs.Metadata.Name == name))
        {
            // The name is taken by a ReplicaSet whose template differs (or which is not ours): a hash collision.
            // Kubernetes bumps collisionCount, which changes the hash on the next sync.
            _status.CollisionCount = (_status.CollisionCount ?? 0) + 1;
            WriteStatus(_status);
            return (null, oldRss);
        }

        var newRs = NewReplicaSet(name, hash);
        newRs.Spec.Replicas = DeploymentRules.NewReplicaSetReplicas(_deployment, [.. oldRss, newRs], newRs);
        DeploymentAnnotations.SetNewReplicaSetAnnotations(_deployment, newRs, newRevision, exists: false, maxSurge);
        _writes.Add(new CreateObject(BuiltinResources.ReplicaSets, KubeObjects.Clone(newRs)));
        if (newRs.Spec.Replicas > 0)
        {
            Event("Normal", "ScalingReplicaSet", $"Scaled up replica set {name} from 0 to {newRs.Spec.Replicas}");
        }

        // Later steps of this sync order ReplicaSets by age; the new one is the youngest.
        newRs.Metadata.CreationTimestamp = KubeObjects.Seconds(_now);
        _owned.Add(newRs);
        _deploymentMetadataChanged |= DeploymentAnnotations.SetDeploymentRevision(_deployment, newRevision.ToString(CultureInfo.InvariantCulture));
        DeploymentConditions.Set(_status, DeploymentConditions.New(
            DeploymentConditions.Progressing, "True", DeploymentConditions.NewReplicaSetCreatedReason,
            $"Created new replica set \"{name}\"", _now));
        return (newRs, oldRss);
    }

    private V1ReplicaSet NewReplicaSet(string name, string hash)
    {
        var template = KubeObjects.Clone(_deployment.Spec.Template);
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels ??= new Dictionary<string, string>();
        template.Metadata.Labels[PodTemplateHash.Label] = hash;

        var selector = KubeObjects.Clone(_deployment.Spec.Selector);
        selector.MatchLabels ??= new Dictionary<string, string>();
        selector.MatchLabels[PodTemplateHash.Label] = hash;

        return new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = _deployment.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>(template.Metadata.Labels),
                OwnerReferences = [KubeObjects.ControllerReference("apps/v1", "Deployment", _deployment.Metadata)],
            },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 0,
                MinReadySeconds = _deployment.Spec.MinReadySeconds,
                Selector = selector,
                Template = template,
            },
        };
    }
}
