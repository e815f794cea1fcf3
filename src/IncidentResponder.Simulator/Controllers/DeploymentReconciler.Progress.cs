using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>The Progressing condition: paused/resumed, progressing, complete, timed out, and the requeue at the progress deadline (<c>progress.go</c>).</summary>
public sealed partial class DeploymentReconciler
{
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
}
