namespace IncidentResponder.Core.Observations;

/// <summary>A pod of the target, as much as detection needs.</summary>
/// <param name="OwnerReplicaSet">Name of the owning ReplicaSet, if any.</param>
/// <param name="Phase">Pod phase: Pending, Running, Succeeded, Failed, Unknown.</param>
/// <param name="Ready">The pod's Ready condition is True.</param>
/// <param name="NotReadySince">When the Ready condition last became False (its lastTransitionTime), if it is False.</param>
public sealed record PodObservation(
    string Name,
    string? OwnerReplicaSet,
    string? PodTemplateHash,
    DateTimeOffset CreatedAt,
    string Phase,
    bool Ready,
    DateTimeOffset? NotReadySince,
    ValueList<ContainerObservation> Containers);

/// <summary>One container's status.</summary>
/// <param name="Running">The container is in state running.</param>
/// <param name="WaitingReason">state.waiting.reason, e.g. CrashLoopBackOff, ImagePullBackOff.</param>
/// <param name="LastTerminatedReason">lastState.terminated.reason, e.g. OOMKilled, Error.</param>
/// <param name="LastTerminatedExitCode">lastState.terminated.exitCode.</param>
/// <param name="LastTerminatedAt">lastState.terminated.finishedAt.</param>
public sealed record ContainerObservation(
    string Name,
    bool Running,
    bool Ready,
    string? WaitingReason,
    string? LastTerminatedReason,
    int? LastTerminatedExitCode,
    DateTimeOffset? LastTerminatedAt,
    int RestartCount);
