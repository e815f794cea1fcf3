using System.Globalization;
using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>
/// The deployment controller's sync, as a pure function of the Deployment, the ReplicaSets in its namespace and the
/// time. It follows <c>pkg/controller/deployment</c> (sync.go, rolling.go, recreate.go, progress.go): one step per
/// sync, because the real controller also returns after each scale and continues when the ReplicaSets report back.
/// </summary>
public sealed class DeploymentReconciler
{
    public const string Component = "deployment-controller";

    private readonly V1Deployment _original;
    private readonly V1Deployment _deployment;
    private readonly V1DeploymentStatus _status;
    private readonly List<V1ReplicaSet> _owned;
    private readonly IReadOnlyList<V1ReplicaSet> _namespaceReplicaSets;
    private readonly DateTimeOffset _now;
    private readonly List<ControllerWrite> _writes = [];
    private bool _deploymentMetadataChanged;
    private TimeSpan? _requeueAfter;

    private DeploymentReconciler(V1Deployment deployment, IReadOnlyList<V1ReplicaSet> namespaceReplicaSets, DateTimeOffset now)
    {
        _original = deployment;
        _deployment = KubeObjects.Clone(deployment);
        _status = KubeObjects.Clone(deployment.Status ?? new V1DeploymentStatus());
        _namespaceReplicaSets = namespaceReplicaSets;
        _owned = namespaceReplicaSets
            .Where(rs => KubeObjects.IsControlledBy(rs.Metadata, deployment.Metadata.Uid) && rs.Metadata.DeletionTimestamp is null)
            .Select(KubeObjects.Clone)
            .ToList();
        _now = now;
    }

    /// <summary>Reconciles one Deployment. <paramref name="namespaceReplicaSets"/> are all ReplicaSets of its namespace.</summary>
    public static SyncResult Reconcile(V1Deployment deployment, IReadOnlyList<V1ReplicaSet> namespaceReplicaSets, DateTimeOffset now)
    {
        var sync = new DeploymentReconciler(deployment, namespaceReplicaSets, now);
        sync.Run();
        return new SyncResult(sync.Finish(), sync._requeueAfter);
    }

    private string Name => _deployment.Metadata.Name;

    private int Desired => DeploymentRules.Replicas(_deployment);

    private void Run()
    {
        if (_deployment.Metadata.DeletionTimestamp is not null)
        {
            var (newRs, oldRss) = ReplicaSetsAndSyncRevision(createIfMissing: false);
            WriteStatus(CalculateStatus(All(newRs, oldRss), newRs));
            return;
        }

        var selector = _deployment.Spec.Selector;
        if (selector is null || ((selector.MatchLabels?.Count ?? 0) == 0 && (selector.MatchExpressions?.Count ?? 0) == 0))
        {
            // A real controller refuses to select every pod in the namespace; it emits SelectingAll and stops.
            Event("Warning", "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
            return;
        }

        CheckPausedConditions();
        if (_deployment.Spec.Paused == true || IsScalingEvent())
        {
            SyncScaleOnly();
            return;
        }

        if (DeploymentRules.IsRecreate(_deployment))
        {
            RolloutRecreate();
        }
        else
        {
            RolloutRolling();
        }
    }

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

    private void CheckPausedConditions()
    {
        if (!DeploymentRules.HasProgressDeadline(_deployment))
        {
            return;
        }

        var condition = DeploymentConditions.Find(_status, DeploymentConditions.Progressing);
        if (condition?.Reason == DeploymentConditions.TimedOutReason)
        {
            return;
        }

        var pausedConditionExists = condition?.Reason == DeploymentConditions.PausedReason;
        if (_deployment.Spec.Paused == true && !pausedConditionExists)
        {
            DeploymentConditions.Set(_status, DeploymentConditions.New(
                DeploymentConditions.Progressing, "Unknown", DeploymentConditions.PausedReason, "Deployment is paused", _now));
        }
        else if (_deployment.Spec.Paused != true && pausedConditionExists)
        {
            DeploymentConditions.Set(_status, DeploymentConditions.New(
                DeploymentConditions.Progressing, "Unknown", DeploymentConditions.ResumedReason, "Deployment is resumed", _now));
        }
    }

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

    /// <summary>Updates the Progressing condition, including the progress deadline (<c>syncRolloutStatus</c>).</summary>
    private void SyncRolloutStatus(List<V1ReplicaSet> all, V1ReplicaSet? newRs)
    {
        var status = CalculateStatus(all, newRs);
        if (!DeploymentRules.HasProgressDeadline(_deployment))
        {
            DeploymentConditions.Remove(status, DeploymentConditions.Progressing);
        }

        var current = DeploymentConditions.Find(status, DeploymentConditions.Progressing);
        var alreadyComplete = status.Replicas == status.UpdatedReplicas && current?.Reason == DeploymentConditions.NewReplicaSetAvailableReason;
        var subject = newRs is null ? $"Deployment \"{Name}\"" : $"ReplicaSet \"{newRs.Metadata.Name}\"";
        if (DeploymentRules.HasProgressDeadline(_deployment) && !alreadyComplete)
        {
            if (DeploymentRules.IsComplete(_deployment, status))
            {
                DeploymentConditions.Set(status, DeploymentConditions.New(
                    DeploymentConditions.Progressing, "True", DeploymentConditions.NewReplicaSetAvailableReason, $"{subject} has successfully progressed.", _now));
            }
            else if (DeploymentRules.IsProgressing(_deployment, status))
            {
                // Progress refreshes lastUpdateTime (the deadline clock) but keeps lastTransitionTime while status stays True.
                var condition = DeploymentConditions.New(
                    DeploymentConditions.Progressing, "True", DeploymentConditions.ReplicaSetUpdatedReason, $"{subject} is progressing.", _now);
                if (current is not null)
                {
                    if (current.Status == "True")
                    {
                        condition.LastTransitionTime = current.LastTransitionTime;
                    }

                    DeploymentConditions.Remove(status, DeploymentConditions.Progressing);
                }

                DeploymentConditions.Set(status, condition);
            }
            else if (DeploymentRules.IsTimedOut(_deployment, status, _now))
            {
                DeploymentConditions.Set(status, DeploymentConditions.New(
                    DeploymentConditions.Progressing, "False", DeploymentConditions.TimedOutReason, $"{subject} has timed out progressing.", _now));
            }
        }

        if (!WriteStatus(status))
        {
            _requeueAfter = StuckDeploymentRequeue(status);
        }
    }

    /// <summary>When nothing changes, look again just after the progress deadline would pass (<c>requeueStuckDeployment</c>).</summary>
    private TimeSpan? StuckDeploymentRequeue(V1DeploymentStatus status)
    {
        var condition = DeploymentConditions.Find(status, DeploymentConditions.Progressing);
        if (!DeploymentRules.HasProgressDeadline(_deployment) || condition?.LastUpdateTime is not { } lastUpdate
            || DeploymentRules.IsComplete(_deployment, status) || condition.Reason == DeploymentConditions.TimedOutReason)
        {
            return null;
        }

        var after = KubeObjects.Utc(lastUpdate).AddSeconds(DeploymentRules.ProgressDeadlineSeconds(_deployment)) - _now;
        return (after < TimeSpan.Zero ? TimeSpan.Zero : after) + TimeSpan.FromSeconds(1);
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

    private IReadOnlyList<ControllerWrite> Finish()
    {
        if (!_deploymentMetadataChanged)
        {
            return _writes;
        }

        // A Deployment's /status endpoint keeps spec and labels but takes annotations from the body (as
        // kube-apiserver's deploymentStatusStrategy does), so the status write must carry the new revision too.
        foreach (var status in _writes.OfType<UpdateStatus>())
        {
            status.Object.Metadata.Annotations = _deployment.Metadata.Annotations;
        }

        // The revision annotation goes on the Deployment before its status, as the real controller writes it.
        var updated = KubeObjects.Clone(_original);
        updated.Metadata.Annotations = _deployment.Metadata.Annotations;
        var firstStatus = _writes.FindIndex(write => write is UpdateStatus);
        var write = new UpdateObject(BuiltinResources.Deployments, updated);
        if (firstStatus < 0)
        {
            _writes.Add(write);
        }
        else
        {
            _writes.Insert(firstStatus, write);
        }

        return _writes;
    }

    private void Event(string type, string reason, string message) =>
        _writes.Add(new RecordEvent(new EventSpec(
            KubeObjects.Reference("apps/v1", "Deployment", _deployment.Metadata), type, reason, message, Component, null, _now)));

    private static List<V1ReplicaSet> All(V1ReplicaSet? newRs, IEnumerable<V1ReplicaSet> oldRss) =>
        newRs is null ? [.. oldRss] : [.. oldRss, newRs];
}
