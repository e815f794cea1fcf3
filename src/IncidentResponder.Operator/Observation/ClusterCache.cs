using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Observations;
using IncidentResponder.Runtime.Informers;

namespace IncidentResponder.Operator.Observation;

/// <summary>The informers of the workload kinds besides Deployments, and of the revisions they keep.</summary>
public sealed record WorkloadInformers(
    InformerGroup<CachedDeployment> StatefulSets,
    InformerGroup<CachedDeployment> DaemonSets,
    InformerGroup<CachedReplicaSet> ControllerRevisions);

/// <summary>Everything the controllers read, from informer caches only, with the lookups they need.</summary>
public sealed class ClusterCache(
    InformerGroup<CachedDeployment> deployments,
    InformerGroup<CachedReplicaSet> replicaSets,
    InformerGroup<CachedPod> pods,
    InformerGroup<CachedResource<Incident>> incidents,
    InformerGroup<CachedResource<Runbook>> runbooks,
    InformerGroup<CachedResource<RemediationPolicy>> policies,
    WorkloadInformers workloads)
{
    /// <summary>Incidents filed by "namespace/target name".</summary>
    public const string IncidentsByTarget = "target";

    /// <summary>Pods filed by the node they run on (spec.nodeName), to wake their Deployments when the node OOMs.</summary>
    public const string PodsByNode = "node";

    public InformerGroup<CachedDeployment> Deployments => deployments;

    public InformerGroup<CachedReplicaSet> ReplicaSets => replicaSets;

    public InformerGroup<CachedPod> Pods => pods;

    public InformerGroup<CachedResource<Incident>> Incidents => incidents;

    public InformerGroup<CachedResource<Runbook>> Runbooks => runbooks;

    public InformerGroup<CachedResource<RemediationPolicy>> Policies => policies;

    public static IEnumerable<string> TargetIndex(CachedResource<Incident> incident) =>
        [TargetKey(incident.Namespace ?? string.Empty, incident.Object.Spec.TargetRef.Name)];

    public static IEnumerable<string> PodNode(CachedPod pod) => pod.NodeName is { } node ? [node] : [];

    public static string TargetKey(string ns, string name) => $"{ns}/{name}";

    public InformerGroup<CachedDeployment> StatefulSets => workloads.StatefulSets;

    public InformerGroup<CachedDeployment> DaemonSets => workloads.DaemonSets;

    public InformerGroup<CachedReplicaSet> ControllerRevisions => workloads.ControllerRevisions;

    public CachedDeployment? Deployment(string ns, string name) => deployments.Get(ns, name);

    /// <summary>
    /// The one place a target's kind picks its informers: the workload an incident or a detection names. A kind this
    /// operator does not observe (yet) finds nothing, and the incident waits for it like for a missing Deployment.
    /// </summary>
    public InformerGroup<CachedDeployment>? WorkloadsOf(string kind) => kind switch
    {
        WorkloadKinds.Deployment => deployments,
        WorkloadKinds.StatefulSet => workloads.StatefulSets,
        WorkloadKinds.DaemonSet => workloads.DaemonSets,
        _ => null,
    };

    public CachedDeployment? Workload(string ns, string? kind, string name) => WorkloadsOf(WorkloadKinds.Of(kind))?.Get(ns, name);

    /// <summary>The workload's revisions: ReplicaSets of a Deployment, ControllerRevisions of a StatefulSet or DaemonSet.</summary>
    public IReadOnlyList<CachedReplicaSet> RevisionsOf(CachedDeployment workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var kind = workload.Observation.Kind;
        return WorkloadKinds.KeepsControllerRevisions(kind)
            ? [.. workloads.ControllerRevisions.ByIndex(workload.Namespace, Indexers.ByControllerOwner, Indexers.OwnerIndexValue(workload.Namespace, kind, workload.Name))
                .Where(r => r.OwnerReferences.Any(o => o.IsController && o.Uid == workload.Observation.Uid))]
            : ReplicaSetsOf(workload);
    }

    /// <summary>The workload's pods: through its ReplicaSets for a Deployment, owned directly otherwise.</summary>
    public IReadOnlyList<CachedPod> PodsOfWorkload(CachedDeployment workload, IReadOnlyList<CachedReplicaSet> revisions)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var kind = workload.Observation.Kind;
        return WorkloadKinds.KeepsControllerRevisions(kind)
            ? pods.ByIndex(workload.Namespace, Indexers.ByControllerOwner, Indexers.OwnerIndexValue(workload.Namespace, kind, workload.Name))
            : [.. revisions.SelectMany(PodsOf)];
    }

    /// <summary>ReplicaSets controlled by the Deployment (by ownerReference UID, as kubectl's IsControlledBy checks).</summary>
    public IReadOnlyList<CachedReplicaSet> ReplicaSetsOf(CachedDeployment deployment) =>
        [.. replicaSets.ByIndex(deployment.Namespace, Indexers.ByControllerOwner, Indexers.OwnerIndexValue(deployment.Namespace, "Deployment", deployment.Name))
            .Where(rs => rs.OwnerReferences.Any(o => o.IsController && o.Uid == deployment.Observation.Uid))];

    public IReadOnlyList<CachedPod> PodsOf(CachedReplicaSet replicaSet) =>
        pods.ByIndex(replicaSet.Namespace, Indexers.ByControllerOwner, Indexers.OwnerIndexValue(replicaSet.Namespace, "ReplicaSet", replicaSet.Name));

    public IReadOnlyList<Incident> IncidentsOf(string ns, string target) =>
        [.. incidents.ByIndex(ns, IncidentsByTarget, TargetKey(ns, target)).Select(i => i.Object)];

    public IReadOnlyList<Incident> IncidentsIn(string ns) => [.. incidents.InNamespace(ns).Select(i => i.Object)];

    public IReadOnlyList<RemediationPolicy> PoliciesIn(string ns) => [.. policies.InNamespace(ns).Select(p => p.Object)];

    public Runbook? Runbook(string ns, string name) => runbooks.Get(ns, name)?.Object;

    public RemediationPolicy? Policy(string ns, string name) => policies.Get(ns, name)?.Object;

    public Incident? Incident(string ns, string name) => incidents.Get(ns, name)?.Object;
}
