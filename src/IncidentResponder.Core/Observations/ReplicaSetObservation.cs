namespace IncidentResponder.Core.Observations;

/// <summary>A ReplicaSet owned by the target Deployment: one revision of its pod template.</summary>
/// <param name="Revision">deployment.kubernetes.io/revision of the ReplicaSet.</param>
/// <param name="PodTemplateHash">The pod-template-hash label, which its pods carry too.</param>
/// <param name="Template">The normalised template, for diffs and "same template" checks.</param>
public sealed record ReplicaSetObservation(
    string Name,
    long Revision,
    string PodTemplateHash,
    DateTimeOffset CreatedAt,
    int Replicas,
    int ReadyReplicas,
    int AvailableReplicas,
    PodTemplateSummary Template);
