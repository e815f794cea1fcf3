using IncidentResponder.Core.Observations;
using IncidentResponder.Runtime.Informers;

namespace IncidentResponder.Operator.Observation;

/// <summary>
/// What the informers keep of a workload (a Deployment, StatefulSet or DaemonSet; <c>Observation.Kind</c> says
/// which): the core's observation plus the labels policies select by. The pod template itself is not kept (only its
/// summary and fingerprint); an action that needs it reads it live.
/// </summary>
/// <param name="UpdateRevision">
/// A StatefulSet's status.updateRevision: the ControllerRevision whose number is the workload's current revision.
/// </param>
public sealed record CachedDeployment(
    string Namespace,
    string Name,
    string? ResourceVersion,
    IReadOnlyDictionary<string, string> Labels,
    DeploymentObservation Observation,
    string? UpdateRevision = null) : ICachedObject
{
    public IReadOnlyList<OwnerRef> OwnerReferences => [];
}

/// <summary>
/// What the informers keep of a ReplicaSet, or of a ControllerRevision: one revision of its Deployment, StatefulSet or
/// DaemonSet, summarised.
/// </summary>
public sealed record CachedReplicaSet(
    string Namespace,
    string Name,
    string? ResourceVersion,
    IReadOnlyList<OwnerRef> OwnerReferences,
    ReplicaSetObservation Observation) : ICachedObject;

/// <summary>What the informers keep of a Pod: the container states detection reads, nothing else.</summary>
/// <param name="Terminating">A deletion timestamp is set: the pod is going away and says nothing about its revision.</param>
/// <param name="Uid">metadata.uid: a node OOM event's memory-cgroup path names the pod by it.</param>
/// <param name="NodeName">spec.nodeName: node OOM events are matched to the pods of their node.</param>
public sealed record CachedPod(
    string Namespace,
    string Name,
    string? ResourceVersion,
    IReadOnlyList<OwnerRef> OwnerReferences,
    bool Terminating,
    PodObservation Observation,
    string Uid,
    string? NodeName) : ICachedObject;
