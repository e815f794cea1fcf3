using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Detection;

/// <summary>The decision tree's first question, "was there a recent deployment?", answered from observed state.</summary>
public static class RolloutRecency
{
    /// <summary>
    /// The newest ReplicaSet: the one whose revision the Deployment carries, or the highest revision if the
    /// Deployment has no revision annotation yet.
    /// </summary>
    public static ReplicaSetObservation? NewReplicaSet(DeploymentObservation deployment, IEnumerable<ReplicaSetObservation> replicaSets)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var all = replicaSets.ToList();
        return all.FirstOrDefault(rs => rs.Revision == deployment.CurrentRevision)
            ?? all.OrderByDescending(rs => rs.Revision).FirstOrDefault();
    }

    /// <summary>
    /// A rollout is recent while the Deployment is still rolling out, or for <paramref name="window"/> after the
    /// current revision became current.
    /// </summary>
    /// <param name="revisionSince">
    /// When the current revision became current, if the shell knows it (revision history). A rollback re-uses an old
    /// ReplicaSet, so its creation time says nothing; without better knowledge it is the fallback.
    /// </param>
    public static bool IsRecent(
        DeploymentObservation deployment,
        ReplicaSetObservation? newReplicaSet,
        DateTimeOffset? revisionSince,
        TimeSpan window,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (IsMidRollout(deployment))
        {
            return true;
        }

        var since = revisionSince ?? newReplicaSet?.CreatedAt;
        return since is { } changed && now - changed <= window;
    }

    /// <summary>
    /// Mid-rollout: the controller has not seen the spec yet, not every replica runs the new template, the
    /// controller says it is still progressing, or it gave up (a stalled rollout never finished). An unready pod
    /// of a stable revision changes none of these, which keeps stable-revision OOMs off the rollout path.
    /// </summary>
    public static bool IsMidRollout(DeploymentObservation deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return deployment.ObservedGeneration < deployment.Generation
            || deployment.UpdatedReplicas < deployment.DesiredReplicas
            || deployment.ProgressDeadlineExceeded
            || deployment.Condition("Progressing") is { Status: "True", Reason: "ReplicaSetUpdated" or "NewReplicaSetCreated" or "FoundNewReplicaSet" };
    }
}
