namespace IncidentResponder.Core.Observations;

/// <summary>A ReplicaSet owned by the target Deployment: one revision of its pod template.</summary>
/// <param name="Revision">deployment.kubernetes.io/revision of the ReplicaSet.</param>
/// <param name="PodTemplateHash">The pod-template-hash label, which its pods carry too.</param>
/// <param name="Template">The normalised template, for diffs and "same template" checks.</param>
/// <param name="AvailableSince">
/// When an operator first saw this revision fully Available, from the ReplicaSet's annotation: the evidence of a soak
/// that a restart did not erase. Null when no operator recorded one.
/// </param>
public sealed record ReplicaSetObservation(
    string Name,
    long Revision,
    string PodTemplateHash,
    DateTimeOffset CreatedAt,
    int Replicas,
    int ReadyReplicas,
    int AvailableReplicas,
    PodTemplateSummary Template,
    DateTimeOffset? AvailableSince = null);
