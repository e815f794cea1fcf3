namespace IncidentResponder.Core.Observations;

/// <summary>
/// What a ControllerRevision does not say about itself, worked out from the pods and the workload. A ReplicaSet
/// counts its own replicas and a Deployment carries its revision number; a StatefulSet or DaemonSet revision is only
/// a template, so its pods are counted by their controller-revision-hash, and the current revision is the one the
/// StatefulSet names as its update revision, else the newest one holding the workload's template, else the newest.
/// </summary>
public static class ControllerRevisionCounts
{
    /// <summary>Revisions with their replica counts filled in from the pods; a Deployment's ReplicaSets are returned as they are.</summary>
    public static IReadOnlyList<ReplicaSetObservation> Fill(string kind, IReadOnlyList<ReplicaSetObservation> revisions, IReadOnlyList<PodObservation> pods)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        if (!WorkloadKinds.KeepsControllerRevisions(kind))
        {
            return revisions;
        }

        return [.. revisions.Select(revision =>
        {
            var own = pods.Where(p => p.PodTemplateHash == revision.PodTemplateHash).ToList();
            var ready = own.Count(p => p.Ready);
            return revision with { Replicas = own.Count, ReadyReplicas = ready, AvailableReplicas = ready };
        })];
    }

    /// <summary>The workload with its current revision number; a Deployment already carries one.</summary>
    /// <param name="updateRevision">A StatefulSet's status.updateRevision (the name of a ControllerRevision), if any.</param>
    public static DeploymentObservation WithCurrentRevision(DeploymentObservation workload, string? updateRevision, IReadOnlyList<ReplicaSetObservation> revisions)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(revisions);
        if (!WorkloadKinds.KeepsControllerRevisions(workload.Kind) || revisions.Count == 0)
        {
            return workload;
        }

        var current = revisions.FirstOrDefault(r => r.Name == updateRevision)
            ?? revisions.Where(r => workload.Template is { } template && template.SameTemplateAs(r.Template)).MaxBy(r => r.Revision)
            ?? revisions.MaxBy(r => r.Revision);
        return workload with { CurrentRevision = current?.Revision };
    }
}
